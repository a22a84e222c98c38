// A minimal POSIX ustar writer: how the driver hands a host several files (domain XML, seed) on one
// command's stdin. Directories are listed before their files; owner is root, times are zero.
import { posix } from 'node:path';

export interface TarEntry {
  /** Relative path, '/'-separated; no '..' and at most 100 bytes. */
  path: string;
  content: Buffer;
  mode: number;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function checkPath(path: string): void {
  if (Buffer.byteLength(path) > 100 || path.startsWith('/') || path.split('/').includes('..')) throw new RangeError(`tar entry name not allowed: ${path}`);
}

function header(path: string, mode: number, size: number, type: '0' | '5'): Buffer {
  const name = Buffer.from(path);
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0);
  h.write(octal(mode & 0o7777, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii'); // mtime
  h.write('        ', 148, 'ascii'); // checksum counts as blanks while it is summed
  h.write(type, 156, 'ascii');
  h.write('ustar\0' + '00', 257, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** The entries as one tar archive, with each entry's parent directories (mode 0755) before it. */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  for (const e of entries) {
    checkPath(e.path);
    const parents: string[] = [];
    for (let d = posix.dirname(e.path); d !== '.' && !dirs.has(d); d = posix.dirname(d)) parents.unshift(d);
    for (const d of parents) {
      dirs.add(d);
      parts.push(header(`${d}/`, 0o755, 0, '5'));
    }
    parts.push(header(e.path, e.mode, e.content.length, '0'), e.content, Buffer.alloc((BLOCK - (e.content.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
