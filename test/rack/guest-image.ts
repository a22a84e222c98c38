// Builds the tiny test guest (about 12 MB qcow2) from Debian packages already on this machine: the
// Debian kernel, a busybox initramfs with the few modules it needs (resources/guest/init), on a FAT
// disk made bootable with syslinux through mtools (no loop mounts). Cached per kernel version and
// per content of resources/guest, so repeated test runs reuse it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runOk } from './run';

const GUEST_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../resources/guest');
const GUEST_FILES = ['init', 'udhcpc.script', 'syslinux.cfg'];
/** Bump when the builder's output changes for the same inputs. */
const BUILDER_VERSION = '1';

/** Modules the guest loads (their dependencies are added): disks, CD-ROM, NICs, filesystems, ACPI button. */
const WANTED_MODULES = [
  'virtio_pci', 'virtio_blk', 'virtio_scsi', 'virtio_net', 'e1000',
  'ata_piix', 'ahci', 'sd_mod', 'sr_mod', 'isofs', 'vfat', 'nls_utf8', 'nls_cp437', 'nls_iso8859-1',
  'button', 'evdev',
];

export interface GuestImage {
  /** The qcow2 image (use it as a read-only backing file). */
  path: string;
  kernelVersion: string;
  /** True when this call built it (false: taken from the cache). */
  built: boolean;
}

function kernelVersion(): string {
  const versions = readdirSync('/boot')
    .filter((f) => f.startsWith('vmlinuz-'))
    .map((f) => f.slice('vmlinuz-'.length))
    .filter((v) => existsSync(`/lib/modules/${v}/modules.dep`))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const v = versions.at(-1);
  if (!v) throw new Error('no Debian kernel with modules in /boot — install linux-image-amd64');
  return v;
}

function cacheKey(kver: string): string {
  const h = createHash('sha256').update(BUILDER_VERSION).update(kver);
  for (const f of GUEST_FILES) h.update(readFileSync(join(GUEST_DIR, f)));
  return `${kver}-${h.digest('hex').slice(0, 10)}`;
}

const norm = (name: string): string => name.replace(/-/g, '_');

/** Module files (relative to /lib/modules/KVER) in load order: dependencies first. */
export function moduleLoadOrder(kver: string, wanted: readonly string[]): string[] {
  const deps = new Map<string, { file: string; deps: string[] }>();
  for (const line of readFileSync(`/lib/modules/${kver}/modules.dep`, 'utf8').split('\n')) {
    const [file, rest = ''] = line.split(':');
    if (!file) continue;
    deps.set(norm(basename(file).replace(/\.ko(\.\w+)?$/, '')), { file, deps: rest.trim().split(/\s+/).filter(Boolean) });
  }
  const byFile = new Map([...deps.values()].map((d) => [d.file, d]));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of byFile.get(file)?.deps ?? []) visit(dep);
    order.push(file);
  };
  for (const name of wanted) {
    const entry = deps.get(norm(name));
    if (entry) visit(entry.file); // absent: built into this kernel
  }
  return order;
}

/** Packs `root` as a gzip-compressed newc cpio archive (what the kernel unpacks as initramfs). */
async function packInitramfs(root: string, out: string): Promise<void> {
  const files = (await runOk(['find', '.', '-mindepth', '1'], { cwd: root })).stdout;
  const cpio = await new Promise<Buffer>((resolveCpio, reject) => {
    const child = spawn('cpio', ['--quiet', '-o', '-H', 'newc', '--owner=0:0'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new Error(`cpio: ${e.message} — install cpio`)));
    child.on('close', (code) => (code === 0 ? resolveCpio(Buffer.concat(chunks)) : reject(new Error(`cpio failed: ${stderr}`))));
    child.stdin.end(files);
  });
  writeFileSync(out, gzipSync(cpio, { level: 9 }));
}

async function buildInitramfs(kver: string, work: string): Promise<string> {
  const root = join(work, 'initramfs');
  for (const d of ['bin', 'dev', 'proc', 'sys', 'etc', 'mnt/seed', 'tmp', 'run', 'lib/modules', 'usr/share/udhcpc']) {
    mkdirSync(join(root, d), { recursive: true });
  }
  copyFileSync('/usr/bin/busybox', join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  symlinkSync('busybox', join(root, 'bin', 'sh'));
  copyFileSync(join(GUEST_DIR, 'init'), join(root, 'init'));
  chmodSync(join(root, 'init'), 0o755);
  copyFileSync(join(GUEST_DIR, 'udhcpc.script'), join(root, 'usr/share/udhcpc/default.script'));
  chmodSync(join(root, 'usr/share/udhcpc/default.script'), 0o755);
  const order = moduleLoadOrder(kver, WANTED_MODULES);
  for (const file of order) {
    if (!file.endsWith('.ko')) throw new Error(`${file}: compressed modules are not supported by busybox insmod here`);
    copyFileSync(join('/lib/modules', kver, file), join(root, 'lib/modules', basename(file)));
  }
  writeFileSync(join(root, 'lib/modules/load-order'), order.map((f) => basename(f) + '\n').join(''));
  const out = join(work, 'initrd.gz');
  await packInitramfs(root, out);
  return out;
}

async function buildDisk(kver: string, initrd: string, work: string): Promise<string> {
  const kernel = `/boot/vmlinuz-${kver}`;
  const mib = 1024 * 1024;
  const size = Math.max(12, Math.ceil((statSync(kernel).size + statSync(initrd).size) / mib) + 2) * mib;
  const raw = join(work, 'disk.raw');
  writeFileSync(raw, '');
  truncateSync(raw, size);
  const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
  await runOk(['mkfs.vfat', '-n', 'DSGUEST', raw]);
  await runOk(['syslinux', '--install', raw]);
  await runOk(['mcopy', '-i', raw, kernel, '::/vmlinuz'], { env });
  await runOk(['mcopy', '-i', raw, initrd, '::/initrd.gz'], { env });
  await runOk(['mcopy', '-i', raw, join(GUEST_DIR, 'syslinux.cfg'), '::/syslinux.cfg'], { env });
  const qcow2 = join(work, 'guest.qcow2');
  await runOk(['qemu-img', 'convert', '-f', 'raw', '-O', 'qcow2', raw, qcow2]);
  return qcow2;
}

/** Default cache dir: $DESKSTACK_GUEST_CACHE, else ~/.cache/deskstack/guest-image. */
export function guestCacheDir(): string {
  return process.env.DESKSTACK_GUEST_CACHE ?? join(homedir(), '.cache', 'deskstack', 'guest-image');
}

/** Removes older builds (other kernels or older guest files) so the cache holds one image. */
function pruneOtherBuilds(cacheDir: string, keep: string): void {
  for (const e of readdirSync(cacheDir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== keep && existsSync(join(cacheDir, e.name, 'guest.qcow2'))) {
      rmSync(join(cacheDir, e.name), { recursive: true, force: true });
    }
  }
}

/** Returns the cached test guest image, building it first if needed. */
export async function buildGuestImage(opts: { cacheDir?: string } = {}): Promise<GuestImage> {
  const kver = kernelVersion();
  const path = join(opts.cacheDir ?? guestCacheDir(), cacheKey(kver), 'guest.qcow2');
  if (existsSync(path)) return { path, kernelVersion: kver, built: false };
  mkdirSync(dirname(path), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'deskstack-guest-build-'));
  try {
    const initrd = await buildInitramfs(kver, work);
    const qcow2 = await buildDisk(kver, initrd, work);
    copyFileSync(qcow2, `${path}.tmp-${process.pid}`);
    renameSync(`${path}.tmp-${process.pid}`, path); // atomic, so concurrent builders never see half a file
    pruneOtherBuilds(dirname(dirname(path)), basename(dirname(path)));
    return { path, kernelVersion: kver, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
