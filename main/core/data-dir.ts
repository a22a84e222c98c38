// The data folder holds password and token hashes, every project's user_data, image bytes and
// DeskStack's SSH key: it is its owner's alone. 0700 folders and 0600 files from creation (umask
// and explicit modes), checked and tightened again at every start.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** From now on this process creates owner-only files and folders (the umask is the main thread's to set). */
export function ownerOnlyUmask(): void {
  if (isMainThread) process.umask(0o077);
}

/** Creates the data folder owner-only; an existing one keeps its mode until tightenDataDir checks it. */
export function makeDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/**
 * Walks the data folder (without following links) and takes every permission for group and others
 * away: folders become 0700, files 0600. Returns what it changed, for the start-up log line.
 */
export function tightenDataDir(dir: string): string[] {
  const fixed: string[] = [];
  // An explicit stack: a deep tree cannot overflow the call stack.
  const stack = [dir];
  while (stack.length) {
    const path = stack.pop()!;
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue; // removed meanwhile (a temporary file)
    }
    if (st.isSymbolicLink()) continue;
    const want = st.isDirectory() ? DIR_MODE : FILE_MODE;
    if ((st.mode & 0o777) !== want && (st.mode & 0o077) !== 0) {
      chmodSync(path, want);
      fixed.push(path);
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
  }
  return fixed;
}
