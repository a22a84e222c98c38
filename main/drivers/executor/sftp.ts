// SFTP helpers for SshExecutor: promise wrappers, an abortable upload with progress, an
// overwriting rename, and error mapping (a missing file is NotFound).
import type { SFTPWrapper } from 'ssh2';
import { DeskError } from '../../core/errors';

export function sftpCall<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** Uploads with fastPut; an abort ends the SFTP session, which makes the transfer fail at once. */
export async function sftpPut(
  sftp: SFTPWrapper,
  localPath: string,
  remotePath: string,
  opts: { signal?: AbortSignal; mode?: number; onProgress?: (bytes: number) => void },
): Promise<void> {
  const onAbort = (): void => sftp.end();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await sftpCall<void>((cb) =>
      sftp.fastPut(localPath, remotePath, { mode: opts.mode ?? 0o644, step: (done: number) => opts.onProgress?.(done) }, (err) => cb(err, undefined)),
    );
    if (opts.mode !== undefined) await sftpCall<void>((cb) => sftp.chmod(remotePath, opts.mode!, cb));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** Renames over an existing file (plain SFTP rename refuses to), using OpenSSH's posix-rename. */
export async function sftpRename(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  await sftpCall<void>((cb) => sftp.ext_openssh_rename(from, to, cb));
}

/** SFTP status 2 is "no such file"; local fs errors keep their errno code. */
export function sftpError(target: string, what: string, err: unknown): DeskError {
  if (err instanceof DeskError) return err;
  const e = err as Error & { code?: number | string };
  if (e?.code === 2 || e?.code === 'ENOENT') return new DeskError('NotFound', `${target}: cannot ${what}: no such file or directory`, { what });
  return new DeskError('Internal', `${target}: cannot ${what}: ${e?.message ?? String(err)} — check free space and permissions on the host`, { what });
}
