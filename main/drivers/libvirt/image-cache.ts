// Copies each image to a host once and keeps it as a qcow2 backing file under <stateDir>/images.
// Concurrent spawns share one copy: in this process through an in-flight map, across processes
// through a flock held on the host for as long as the copy runs.
import { open, stat } from 'node:fs/promises';
import { DeskError } from '../../core/errors';
import type { Executor } from '../executor/executor';
import type { ImageSpec, OpContext } from '../types';
import type { HostPaths } from './paths';

/**
 * Glance disk formats a real host boots, by qemu-img's own name. Others (vmdk, vhdx, vdi…) can name
 * host files in their own metadata (extents), so they are refused until each gets a safety check.
 */
const QEMU_FORMAT: Record<string, string> = { qcow2: 'qcow2', raw: 'raw' };
/** Leading bytes of image formats that must not pass as raw (qemu would honour them if it ever probed). */
const FOREIGN_MAGIC: Array<[string, Buffer]> = [
  ['qcow', Buffer.from('QFI\xfb', 'latin1')],
  ['vmdk', Buffer.from('KDMV')],
  ['vmdk descriptor', Buffer.from('# Disk DescriptorFile')],
  ['vhdx', Buffer.from('vhdxfile')],
  ['vhd', Buffer.from('conectix')],
  ['qed', Buffer.from('QED\0', 'latin1')],
];
const LOCK_WAIT_S = 900;
const CONVERT_TIMEOUT_MS = 30 * 60_000;

interface QemuImgInfo {
  format?: string;
  'virtual-size'?: number;
  'backing-filename'?: string;
  'format-specific'?: { type?: string; data?: { 'data-file'?: string } };
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
    const format = QEMU_FORMAT[image.diskFormat];
    if (!format) throw new DeskError('BadRequest', `image ${image.id}: disk format "${image.diskFormat}": only qcow2 and raw images can boot on real hosts; convert it with qemu-img first`);
    await this.executor.runChecked(['mkdir', '-p', this.paths.imagesDir], { signal: op.signal });
    if (await this.isCached(target, op)) return target;
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

  /**
   * The copy has the right size and the declared format, and names no other file (a backing file or
   * an external data file could point anywhere on the host: CVE-2024-32498). qemu-img always gets
   * -f, so it never probes the format from the guest-controlled bytes.
   */
  private async verify(image: ImageSpec, upload: string, size: number, format: string, op: OpContext): Promise<void> {
    const got = Number((await this.executor.runChecked(['stat', '-c', '%s', upload], { signal: op.signal })).stdout.trim());
    if (got !== size) throw new DeskError('Unavailable', `host ${this.hostName}: image ${image.id} arrived with ${got} of ${size} bytes — retry; check free space on the host`);
    if (format === 'raw') {
      const foreign = await foreignFormat(image.path);
      if (foreign) throw new DeskError('BadRequest', `image ${image.id} is declared raw but its data is a ${foreign} image — set its disk_format correctly, or convert it to qcow2 with qemu-img first`);
    }
    const info = JSON.parse((await this.executor.runChecked(['qemu-img', 'info', '-f', format, '--output=json', upload], { signal: op.signal })).stdout) as QemuImgInfo;
    if (info.format !== format) throw new DeskError('BadRequest', `image ${image.id} is declared ${format} but qemu-img reads it as ${String(info.format)} — upload it again with the right disk_format`);
    if (info['backing-filename']) throw new DeskError('BadRequest', `image ${image.id} refers to a backing file, which DeskStack does not allow — upload a self-contained image (qemu-img convert)`);
    if (info['format-specific']?.data?.['data-file'] !== undefined) throw new DeskError('BadRequest', `image ${image.id} uses an external data file, which DeskStack does not allow — upload a self-contained image (qemu-img convert)`);
  }
}

/** The name of the image format whose header starts the local file, or null for anything else. */
async function foreignFormat(path: string): Promise<string | null> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(32);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return FOREIGN_MAGIC.find(([, magic]) => bytesRead >= magic.length && head.subarray(0, magic.length).equals(magic))?.[0] ?? null;
  } finally {
    await file.close();
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
