// Builds the renderer when renderer/dist is missing or older than its sources, so `npm run serve` always shows the current UI.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const index = 'renderer/dist/index.html';
const stale = !existsSync(index) || statSync(index).mtimeMs < Math.max(newest('renderer'), newest('main/api'));
if (stale) {
  process.stderr.write('Building the UI (renderer/dist)…\n');
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('The UI failed to build; the API still starts. Run `npm run build:ui` to see why.\n');
  }
}
