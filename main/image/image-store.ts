import { createHash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DeskError, badRequest } from '../core/errors';
import { HEAD_BYTES, TAIL_BYTES } from './disk-format';

export interface StoredBytes {
  size: number;
  /** md5 hex: Glance's `checksum`. */
  md5: string;
  sha256: string;
  /** The first HEAD_BYTES of the data (all of it when shorter), for format checks. */
  head: Buffer;
  /** The last TAIL_BYTES of the data (a fixed VHD's footer). */
  tail: Buffer;
}

export interface StoreOptions {
  maxBytes: number;
  signal?: AbortSignal;
  onProgress?(bytes: number): void;
  expectedSize?: number;
  /** Looks at the first HEAD_BYTES once they have arrived, mid-stream; throwing refuses the upload early. */
  checkHead?(head: Buffer): void;
  /** Looks at the complete data before it is kept; throwing refuses it and removes the file. */
  checkComplete?(data: StoredBytes): void;
}

function abortError(signal: AbortSignal): DeskError {
  const reason = signal.reason instanceof DeskError ? signal.reason : null;
  return reason ?? new DeskError('Conflict', 'The image upload was cancelled before it finished; upload the data again.');
}

/**
 * Streams `body` to `partPath` while hashing it (md5 and sha256) and handing its first and last
 * bytes to the format checks, fsyncs, and renames it to `finalPath` only when complete and accepted. Never holds the whole body in memory. On any failure the
 * partial file is removed and the error is rethrown; the body is left undestroyed, so an HTTP
 * server can still answer the request.
 */
export async function storeStream(body: Readable, partPath: string, finalPath: string, opts: StoreOptions): Promise<StoredBytes> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  const headParts: Buffer[] = [];
  let headLen = 0;
  let tail = Buffer.alloc(0);
  let size = 0;
  // The body may fail before the first read (client gone while the file opens); the iterator below
  // still sees that error, so this listener only keeps it from becoming an uncaught exception.
  const swallow = () => undefined;
  body.on('error', swallow);
  let fh: FileHandle | undefined;
  let iter: AsyncIterator<unknown> | undefined;
  let closed = false;
  try {
    fh = await open(partPath, 'w', 0o600);
    if (opts.signal?.aborted) throw abortError(opts.signal);
    const stop = new Promise<never>((_, reject) => {
      opts.signal?.addEventListener('abort', () => reject(abortError(opts.signal!)), { once: true });
    });
    stop.catch(() => undefined);
    iter = body.iterator({ destroyOnReturn: false });
    for (;;) {
      // Racing the abort signal lets a cancel land even while the client sends nothing.
      const next = await Promise.race([iter.next(), stop]);
      if (next.done) break;
      const chunk: Buffer = typeof next.value === 'string' ? Buffer.from(next.value) : (next.value as Buffer);
      size += chunk.length;
      if (size > opts.maxBytes) throw new DeskError('PayloadTooLarge', `Image data exceeds the limit of ${opts.maxBytes} bytes; raise maxImageBytes or upload a smaller image.`);
      md5.update(chunk);
      sha256.update(chunk);
      if (headLen < HEAD_BYTES) {
        headParts.push(chunk.subarray(0, HEAD_BYTES - headLen));
        headLen += Math.min(chunk.length, HEAD_BYTES - headLen);
        if (headLen === HEAD_BYTES) opts.checkHead?.(Buffer.concat(headParts));
      }
      // Copied, so a large chunk is not kept alive for its last bytes.
      tail = Buffer.from(chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES));
      for (let off = 0; off < chunk.length; ) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      opts.onProgress?.(size);
    }
    if (opts.signal?.aborted) throw abortError(opts.signal);
    if (opts.expectedSize !== undefined && opts.expectedSize !== size) {
      throw badRequest(`Image upload ended after ${size} of the ${opts.expectedSize} announced bytes; send the whole file again.`);
    }
    const stored: StoredBytes = { size, md5: md5.digest('hex'), sha256: sha256.digest('hex'), head: Buffer.concat(headParts), tail };
    opts.checkComplete?.(stored);
    await fh.sync();
    await fh.close();
    closed = true;
    await rename(partPath, finalPath);
    return stored;
  } catch (err) {
    // Detach from the body without destroying it, so an HTTP server can still answer the request.
    iter?.return?.(undefined).catch(() => undefined);
    if (!closed) await fh?.close().catch(() => undefined);
    await rm(partPath, { force: true });
    throw err;
  } finally {
    body.off('error', swallow);
  }
}
