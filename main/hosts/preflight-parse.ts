// Turns what a host printed about itself (os-release, cpuinfo, meminfo, df, virsh) into preflight
// checks. Pure functions, so every verdict and fix hint is unit-tested without a host.
import type { VirtType } from '../drivers/types';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface PreflightCheck {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warn or fail; always set for those. */
  fix?: string;
}

export interface OsRelease {
  id: string;
  versionId: string;
  prettyName: string;
  idLike: string;
}

/** Debian and Ubuntu releases DeskStack provisions. */
export const SUPPORTED_OS: Record<string, string[]> = { debian: ['12', '13'], ubuntu: ['22.04', '24.04'] };

/** The packages provisioning installs (and skips when present). */
export const REQUIRED_PACKAGES = ['qemu-system-x86', 'qemu-utils', 'libvirt-daemon-system', 'libvirt-clients', 'dnsmasq-base', 'genisoimage'] as const;

export function parseOsRelease(text: string): OsRelease {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    vars[m[1]] = v.replace(/\\(["\\$`])/g, '$1');
  }
  return { id: (vars.ID ?? '').toLowerCase(), versionId: vars.VERSION_ID ?? '', prettyName: vars.PRETTY_NAME ?? vars.NAME ?? '', idLike: vars.ID_LIKE ?? '' };
}

export function checkOs(os: OsRelease): PreflightCheck {
  const title = 'Operating system';
  const supported = 'Debian 12/13 or Ubuntu 22.04/24.04';
  if (!os.id) {
    return { id: 'os', title, status: 'fail', detail: 'No /etc/os-release: the distribution is unknown.', fix: `Use ${supported}.` };
  }
  const shown = os.prettyName || `${os.id} ${os.versionId}`;
  // Debian testing/sid carry no VERSION_ID; only released versions are supported.
  const major = os.id === 'debian' ? os.versionId.split('.')[0] : os.versionId;
  if (SUPPORTED_OS[os.id]?.includes(major)) return { id: 'os', title, status: 'pass', detail: shown };
  return { id: 'os', title, status: 'fail', detail: `${shown} is not supported.`, fix: `Install ${supported} on this machine; DeskStack provisions only those.` };
}

export function checkPrivileges(uid: number, sudo: 'root' | 'yes' | 'no', user: string): PreflightCheck {
  const title = 'Administrator rights';
  if (uid === 0 || sudo === 'root') return { id: 'privileges', title, status: 'pass', detail: 'Connected as root.' };
  if (sudo === 'yes') return { id: 'privileges', title, status: 'pass', detail: `${user} may run sudo without a password.` };
  return {
    id: 'privileges',
    title,
    status: 'fail',
    detail: `${user} is not root and cannot run sudo without a password.`,
    fix: `Connect as root, or allow passwordless sudo: add "${user} ALL=(ALL) NOPASSWD:ALL" to /etc/sudoers.d/deskstack (visudo -f).`,
  };
}

/** CPU flags from /proc/cpuinfo's first "flags" line. */
export function parseCpuFlags(cpuinfo: string): { vmx: boolean; svm: boolean; model: string } {
  const flagsLine = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  const flags = new Set(flagsLine.trim().split(/\s+/));
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? '';
  return { vmx: flags.has('vmx'), svm: flags.has('svm'), model };
}

export function checkCpuVirt(flags: { vmx: boolean; svm: boolean; model: string }): PreflightCheck {
  const title = 'CPU virtualization';
  const cpu = flags.model ? `${flags.model}: ` : '';
  if (flags.vmx) return { id: 'cpu-virt', title, status: 'pass', detail: `${cpu}Intel VT-x (vmx).` };
  if (flags.svm) return { id: 'cpu-virt', title, status: 'pass', detail: `${cpu}AMD-V (svm).` };
  return {
    id: 'cpu-virt',
    title,
    status: 'warn',
    detail: `${cpu}no vmx or svm flag: guests will run in software emulation (slow).`,
    fix: 'Enable VT-x/AMD-V in the BIOS/UEFI setup (or nested virtualization if this is a VM), then re-run the preflight.',
  };
}

export type KvmState = 'usable' | 'unopenable' | 'not-a-device' | 'absent';

export function checkKvm(state: KvmState): PreflightCheck {
  const title = 'KVM device (/dev/kvm)';
  const emulation = "guests will use software emulation (<domain type='qemu'>), which is much slower.";
  switch (state) {
    case 'usable':
      return { id: 'kvm', title, status: 'pass', detail: '/dev/kvm is a character device and opens: hardware acceleration is available.' };
    case 'unopenable':
      return { id: 'kvm', title, status: 'warn', detail: `/dev/kvm exists but cannot be opened; ${emulation}`, fix: 'Check its permissions (root:kvm, 0660) and that no other hypervisor holds it, then re-run the preflight.' };
    case 'not-a-device':
      return { id: 'kvm', title, status: 'warn', detail: `/dev/kvm is not a character device; ${emulation}`, fix: 'Load the kvm_intel or kvm_amd module (modprobe kvm_intel) so /dev/kvm is a real device, then re-run the preflight.' };
    default:
      return { id: 'kvm', title, status: 'warn', detail: `/dev/kvm is missing; ${emulation}`, fix: 'Enable VT-x/AMD-V in the BIOS and load kvm_intel or kvm_amd (modprobe), then re-run the preflight.' };
  }
}

/** kvm when the CPU can and /dev/kvm works; otherwise software emulation. */
export function virtTypeFrom(flags: { vmx: boolean; svm: boolean }, kvm: KvmState): VirtType {
  return (flags.vmx || flags.svm) && kvm === 'usable' ? 'kvm' : 'qemu';
}

export function parseMeminfo(text: string): { totalMb: number; availableMb: number } {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+)\\s*kB`, 'm').exec(text)?.[1] ?? 0);
  return { totalMb: Math.floor(kb('MemTotal') / 1024), availableMb: Math.floor(kb('MemAvailable') / 1024) };
}

export function checkMemory(mem: { totalMb: number }): PreflightCheck {
  const title = 'Memory';
  const gib = (mem.totalMb / 1024).toFixed(1);
  if (mem.totalMb <= 0) return { id: 'memory', title, status: 'fail', detail: 'Could not read /proc/meminfo.', fix: 'Check that /proc is mounted on the host.' };
  if (mem.totalMb < 1024) return { id: 'memory', title, status: 'fail', detail: `${gib} GiB RAM: too little to run guests.`, fix: 'Use a machine with at least 2 GiB of RAM (4 GiB or more recommended).' };
  if (mem.totalMb < 3584) return { id: 'memory', title, status: 'warn', detail: `${gib} GiB RAM: room for only a few small guests.`, fix: 'Add RAM (4 GiB or more recommended) or use small flavors.' };
  return { id: 'memory', title, status: 'pass', detail: `${gib} GiB RAM.` };
}

export interface DiskInfo {
  /** The existing directory that was measured (/var/lib/deskstack or its nearest existing parent). */
  path: string;
  mount: string;
  sizeMb: number;
  availableMb: number;
}

/** Parses "PATH\n<df -Pk data line>" as printed by the preflight script. */
export function parseDf(text: string): DiskInfo | null {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length < 2) return null;
  const cols = lines[lines.length - 1].split(/\s+/);
  if (cols.length < 6) return null;
  const size = Number(cols[1]);
  const avail = Number(cols[3]);
  if (!Number.isFinite(size) || !Number.isFinite(avail)) return null;
  return { path: lines[0], mount: cols.slice(5).join(' '), sizeMb: Math.floor(size / 1024), availableMb: Math.floor(avail / 1024) };
}

export function checkDisk(disk: DiskInfo | null): PreflightCheck {
  const title = 'Disk space for /var/lib/deskstack';
  if (!disk) return { id: 'disk', title, status: 'fail', detail: 'Could not measure free space (df failed).', fix: 'Check that df works on the host and /var/lib is mounted.' };
  const gb = (mb: number) => (mb / 1024).toFixed(1);
  const where = `${gb(disk.availableMb)} GiB free of ${gb(disk.sizeMb)} GiB on ${disk.mount}`;
  if (disk.availableMb < 2048) return { id: 'disk', title, status: 'fail', detail: `${where}: not enough for images and instance disks.`, fix: `Free space on ${disk.mount} (at least 2 GiB, 20 GiB recommended) or mount a bigger disk at /var/lib/deskstack.` };
  if (disk.availableMb < 20 * 1024) return { id: 'disk', title, status: 'warn', detail: `${where}: room for only a few instances.`, fix: `Free space on ${disk.mount} or mount a bigger disk at /var/lib/deskstack (20 GiB or more recommended).` };
  return { id: 'disk', title, status: 'pass', detail: `${where}.` };
}

export interface LibvirtInfo {
  installedVersion: string | null;
  running: boolean;
  daemonVersion: string | null;
  error: string | null;
}

/** Reads `libvirtd --version` and `virsh version --daemon` (with its "exit=N" line) output. */
export function parseLibvirt(libvirtdOut: string, virshOut: string): LibvirtInfo {
  const installed = /\(libvirt\)\s+([\d.]+)/.exec(libvirtdOut)?.[1] ?? null;
  const exit = Number(/^exit=(\d+)/m.exec(virshOut)?.[1] ?? 1);
  const daemon = /Running against daemon:\s*([\d.]+)/.exec(virshOut)?.[1] ?? null;
  const running = exit === 0 && virshOut.trim() !== 'absent';
  const error = running ? null : virshOut.replace(/^exit=\d+$/m, '').trim().split('\n').filter(Boolean).slice(-2).join(' ') || null;
  return { installedVersion: installed, running, daemonVersion: daemon, error };
}

export function checkLibvirt(info: LibvirtInfo): PreflightCheck {
  const title = 'libvirt';
  if (!info.installedVersion && !info.running) {
    return { id: 'libvirt', title, status: 'warn', detail: 'libvirt is not installed.', fix: 'Provisioning installs libvirt-daemon-system and starts it.' };
  }
  if (!info.running) {
    const ver = info.installedVersion ? ` ${info.installedVersion}` : '';
    const why = info.error ? `: ${info.error}` : '';
    return { id: 'libvirt', title, status: 'warn', detail: `libvirt${ver} is installed but not answering${why}.`, fix: 'Provisioning starts libvirtd; if it keeps failing, see `journalctl -u libvirtd` on the host.' };
  }
  const ver = info.daemonVersion ?? info.installedVersion;
  return { id: 'libvirt', title, status: 'pass', detail: `libvirtd${ver ? ` ${ver}` : ''} is running.` };
}

/** `dpkg-query -W -f='${Package} ${db:Status-Status}\n'` lines → installed package names. */
export function parseDpkgStatus(text: string): Set<string> {
  const installed = new Set<string>();
  for (const line of text.split('\n')) {
    const [pkg, status] = line.trim().split(/\s+/);
    if (pkg && status === 'installed') installed.add(pkg.replace(/:.*$/, ''));
  }
  return installed;
}

export function checkPackages(installed: Set<string>): PreflightCheck {
  const missing = REQUIRED_PACKAGES.filter((p) => !installed.has(p));
  const title = 'Virtualization packages';
  if (missing.length === 0) return { id: 'packages', title, status: 'pass', detail: `All installed: ${REQUIRED_PACKAGES.join(', ')}.` };
  return { id: 'packages', title, status: 'warn', detail: `Missing: ${missing.join(', ')}.`, fix: 'Provisioning installs them with apt (the host needs access to its package mirror).' };
}

/** "name yes|no" lines from the preflight script. */
export function parseCommands(text: string): Map<string, boolean> {
  const found = new Map<string, boolean>();
  for (const line of text.split('\n')) {
    const [cmd, yes] = line.trim().split(/\s+/);
    if (cmd) found.set(cmd, yes === 'yes');
  }
  return found;
}

export function checkCommands(found: Map<string, boolean>): PreflightCheck {
  const title = 'Required commands';
  const missingBase = ['sh', 'apt-get', 'dpkg-query', 'mkdir', 'df', 'timeout'].filter((c) => found.get(c) !== true);
  if (missingBase.length) {
    return { id: 'commands', title, status: 'fail', detail: `Missing: ${missingBase.join(', ')}.`, fix: 'Install the base system tools (apt-get install coreutils dpkg apt); DeskStack needs a Debian-family host.' };
  }
  const later = ['virsh', 'qemu-img', 'qemu-system-x86_64', 'genisoimage'].filter((c) => found.get(c) !== true);
  if (later.length) return { id: 'commands', title, status: 'warn', detail: `Not yet present: ${later.join(', ')}.`, fix: 'Provisioning installs the packages that provide them.' };
  return { id: 'commands', title, status: 'pass', detail: 'apt-get, dpkg-query, virsh, qemu-img, qemu-system-x86_64 and genisoimage are present.' };
}
