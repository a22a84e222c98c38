// `npm start`: launches the Electron app. Where the Electron binary is absent and cannot be
// downloaded (offline machines), it says so in one line and starts headless with the UI in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const electronDir = 'node_modules/electron';
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

let bin = electronBinary();
if (!bin && existsSync(join(electronDir, 'install.js'))) {
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  bin = electronBinary();
}

const build = spawnSync(process.execPath, ['scripts/ensure-ui.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

if (bin) {
  const b = spawnSync(process.execPath, ['scripts/build-main.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
  const child = spawn(bin, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron is not available on this machine (its binary could not be downloaded), so DeskStack starts headless: open the URL below in a browser.');
  const child = spawn(process.execPath, ['bin/deskstack.mjs', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
