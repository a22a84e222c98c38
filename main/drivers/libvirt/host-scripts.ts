// The fixed shell scripts the driver runs on hosts (resources/host/). Found beside the packaged app
// (electron-builder copies resources/host to <resources>/host) or in the source tree; read once.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeskError } from '../../core/errors';

export type HostScriptName = 'spawn-instance.sh';

const loaded = new Map<HostScriptName, string>();

function scriptDirs(): string[] {
  const dirs: string[] = [];
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged) dirs.push(join(packaged, 'host'));
  // import.meta.url is absent once bundled to CommonJS (the Electron build): then the other two apply
  const url: unknown = import.meta.url;
  if (typeof url === 'string' && url.startsWith('file:')) dirs.push(resolve(dirname(fileURLToPath(url)), '../../../resources/host'));
  dirs.push(resolve('resources/host'));
  return dirs;
}

/** The text of a host script. */
export function hostScript(name: HostScriptName): string {
  let text = loaded.get(name);
  if (text === undefined) {
    const dirs = scriptDirs();
    const file = dirs.map((d) => join(d, name)).find((f) => existsSync(f));
    if (!file) throw new DeskError('Internal', `the host script ${name} is missing (looked in ${dirs.join(', ')}) — reinstall DeskStack`);
    text = readFileSync(file, 'utf8');
    loaded.set(name, text);
  }
  return text;
}
