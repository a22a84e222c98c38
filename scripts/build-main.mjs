// Bundles the Electron entry and the preload into dist/ (CommonJS, as Electron's sandboxed preload requires),
// and copies the built renderer beside them. Native modules stay external and are rebuilt by electron-builder.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning' };
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
await build({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', external: ['electron', 'better-sqlite3', 'ssh2', 'cpu-features'] });
await build({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/preload/index.cjs', external: ['electron'] });
if (!existsSync('renderer/dist/index.html')) {
  console.error('renderer/dist is missing: run `npm run build:ui` first.');
  process.exit(1);
}
cpSync('renderer/dist', 'dist/renderer', { recursive: true });
console.log('Built dist/electron/main.cjs, dist/preload/index.cjs and dist/renderer/.');
