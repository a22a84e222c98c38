// Copies each image to a host once and keeps it as a qcow2 backing file under <stateDir>/images.
// Concurrent spawns share one copy: in this process through an in-flight map, across processes
// through a flock held on the host for as long as the copy runs.
import { stat } from 'node:fs/promises';
import { DeskError } from '../../core/errors';
import type { Executor } from '../executor/executor';
import type { ImageSpec, OpContext } from '../types';
import type { HostPaths } from './paths';

/** Glance disk formats qemu-img reads, by qemu-img's own name for them. */
const QEMU_FORMAT: Record<string, string> = { qcow2: 'qcow2', raw: 'raw', vmdk: 'vmdk', vdi: 'vdi', vhd: 'vpc', vhdx: 'vhdx' };
const LOCK_WAIT_S = 900;
const CONVERT_TIMEOUT_MS = 30 * 60_000;

interface QemuImgInfo {
  format?: string;
  'virtual-size'?: number;
  'backing-filename'?: string;
}

export class ImageCache {
  private inflight = new Map<string, { copy: Promise<string>; signal: AbortSignal }>();

  constructor(
    private readonly executor: Executor,
    private readonly paths: HostPaths,
    private readonly hostName: string,
  ) {}

  /** Path of the cached qcow2 on the host, copying it there first if needed. */
  async ensure(image: ImageSpec, op: OpContext): Promise<string> {
    const target = this.paths.cachedImage(image.id);
    for (;;) {
      const shared = this.inflight.get(target);
      if (!shared) {
        const copy = this.fetch(image, target, op).finally(() => this.inflight.delete(target));
        this.inflight.set(target, { copy, signal: op.signal });
        return copy;
      }
      try {
        return await shared.copy;
      } catch (err) {
        op.signal.throwIfAborted();
        if (!shared.signal.aborted) throw err; // the image's own fault: we would fail the same way
        // the spawn that was copying it was cancelled: copy it ourselves
      }
    }
  }

  private async isCached(target: string, op: OpContext): Promise<boolean> {
    return (await this.executor.run(['test', '-f', target], { signal: op.signal })).code === 0;
  }

  private async fetch(image: ImageSpec, target: string, op: OpContext): Promise<string> {
    await this.executor.runChecked(['mkdir', '-p', this.paths.imagesDir], { signal: op.signal });
    if (await this.isCached(target, op)) return target;
    const format = QEMU_FORMAT[image.diskFormat];
    if (!format) throw new DeskError('BadRequest', `image ${image.id}: disk format "${image.diskFormat}" cannot boot on a libvirt host — convert it to qcow2 or raw`);
    const size = await localSize(image);
    const lock = await this.executor.openStream(['flock', '-w', String(LOCK_WAIT_S), `${target}.lock`, 'sh', '-c', 'echo locked; exec cat >/dev/null']);
    try {
      await waitForLine(lock.stream, 'locked', LOCK_WAIT_S * 1000, op, `host ${this.hostName}: waiting for another copy of image ${image.id}`);
      if (await this.isCached(target, op)) return target;
      op.log?.(`copying image ${image.id} (${size} bytes) to host ${this.hostName}`);
      const upload = `${target}.upload`;
      try {
        await this.executor.putFile(image.path, upload, { signal: op.signal, mode: 0o644 });
        await this.verify(image, upload, size, format, op);
        if (format === 'qcow2') {
          await this.executor.runChecked(['mv', '-f', upload, target], { signal: op.signal });
        } else {
          op.log?.(`converting image ${image.id} from ${image.diskFormat} to qcow2`);
          const tmp = `${target}.converting`;
          await this.executor.runChecked(['qemu-img', 'convert', '-f', format, '-O', 'qcow2', upload, tmp], { signal: op.signal, timeoutMs: CONVERT_TIMEOUT_MS });
          await this.executor.runChecked(['mv', '-f', tmp, target], { signal: op.signal });
        }
      } finally {
        await this.executor.run(['rm', '-f', upload, `${target}.converting`]).catch(() => undefined);
      }
      op.log?.(`image ${image.id} cached on host ${this.hostName}`);
      return target;
    } finally {
      lock.close();
    }
  }

  /** The copy has the right size and format, and no backing file (which could point anywhere on the host). */
  private async verify(image: ImageSpec, upload: string, size: number, format: string, op: OpContext): Promise<void> {
    const got = Number((await this.executor.runChecked(['stat', '-c', '%s', upload], { signal: op.signal })).stdout.trim());
    if (got !== size) throw new DeskError('Unavailable', `host ${this.hostName}: image ${image.id} arrived with ${got} of ${size} bytes — retry; check free space on the host`);
    const info = JSON.parse((await this.executor.runChecked(['qemu-img', 'info', '-f', format, '--output=json', upload], { signal: op.signal })).stdout) as QemuImgInfo;
    if (info['backing-filename']) throw new DeskError('BadRequest', `image ${image.id} refers to a backing file, which DeskStack does not allow — upload a self-contained image (qemu-img convert)`);
  }
}

async function localSize(image: ImageSpec): Promise<number> {
  let size: number;
  try {
    size = (await stat(image.path)).size;
  } catch (err) {
    throw new DeskError('NotFound', `image ${image.id}: its file ${image.path} is missing on this computer (${(err as NodeJS.ErrnoException).code}) — upload the image again`);
  }
  if (image.sizeBytes > 0 && size !== image.sizeBytes) {
    throw new DeskError('Internal', `image ${image.id}: its file has ${size} bytes but the image record says ${image.sizeBytes} — upload the image again`);
  }
  return size;
}

/** Resolves when `line` arrives on the stream; rejects on abort, timeout or the stream ending first. */
function waitForLine(stream: NodeJS.ReadableStream, line: string, timeoutMs: number, op: OpContext, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const done = (err?: unknown): void => {
      clearTimeout(timer);
      op.signal.removeEventListener('abort', onAbort);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      if (err) reject(err);
      else resolve();
    };
    const onData = (d: Buffer | string): void => {
      seen += d.toString();
      if (seen.split(/\r?\n/).includes(line)) done();
    };
    const onEnd = (): void => done(new DeskError('Unavailable', `${what}: the lock command ended early: ${seen.trim() || '(no output)'} — is util-linux installed?`));
    const onAbort = (): void => done(op.signal.reason);
    const timer = setTimeout(() => done(new DeskError('Unavailable', `${what}: still locked after ${Math.round(timeoutMs / 1000)} s — retry later`)), timeoutMs);
    if (op.signal.aborted) return onAbort();
    op.signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}
