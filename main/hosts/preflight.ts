// The preflight: one read-only script gathers what DeskStack needs to know about a host, then
// preflight-parse turns it into pass/warn/fail checks. Nothing on the host changes.
import type { VirtType } from '../drivers/types';
import type { Executor } from '../drivers/executor/executor';
import {
  checkCommands,
  checkCpuVirt,
  checkDisk,
  checkKvm,
  checkLibvirt,
  checkMemory,
  checkOs,
  checkPackages,
  checkPrivileges,
  parseCommands,
  parseCpuFlags,
  parseDf,
  parseDpkgStatus,
  parseLibvirt,
  parseMeminfo,
  parseOsRelease,
  REQUIRED_PACKAGES,
  type KvmState,
  type OsRelease,
  type PreflightCheck,
} from './preflight-parse';

export type { PreflightCheck, CheckStatus } from './preflight-parse';

export interface PreflightReport {
  at: string;
  /** Who was checked, e.g. "root@10.0.0.5:22". */
  target: string;
  /** False when any check failed: provisioning refuses to start. */
  ok: boolean;
  os: OsRelease;
  /** 'kvm' with a usable /dev/kvm and CPU support, else 'qemu' (software emulation). */
  virtType: VirtType;
  /** True when commands must go through `sudo -n`. */
  needsSudo: boolean;
  /** PID 1's name: 'systemd' means units are managed with systemctl. */
  init: string;
  hostname: string;
  vcpus: number;
  memoryMb: number;
  diskMb: number;
  diskAvailableMb: number;
  cpuModel: string;
  libvirtVersion: string | null;
  missingPackages: string[];
  checks: PreflightCheck[];
}

// A fixed script (no user input inside): each section starts with a "@@name@@" line.
const GATHER_SCRIPT = [
  'S=; if [ "$(id -u)" != 0 ]; then S="sudo -n"; fi',
  "sec() { printf '\\n@@%s@@\\n' \"$1\"; }",
  'sec os-release; cat /etc/os-release 2>/dev/null',
  'sec uid; id -u',
  'sec user; id -un',
  'sec sudo; if [ -z "$S" ]; then echo root; elif sudo -n true 2>/dev/null; then echo yes; else echo no; fi',
  "sec cpu; grep -m1 -E '^flags' /proc/cpuinfo; grep -m1 -E '^model name' /proc/cpuinfo",
  'sec nproc; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN',
  "sec meminfo; grep -E '^(MemTotal|MemAvailable):' /proc/meminfo",
  "sec kvm; if [ -c /dev/kvm ]; then if $S sh -c 'exec 3<>/dev/kvm' 2>/dev/null; then echo usable; else echo unopenable; fi; elif [ -e /dev/kvm ]; then echo not-a-device; else echo absent; fi",
  'sec df; d=/var/lib/deskstack; while [ ! -e "$d" ]; do d=$(dirname "$d"); done; echo "$d"; df -Pk "$d" | tail -n 1',
  'sec libvirtd; if command -v libvirtd >/dev/null 2>&1; then libvirtd --version 2>&1 | head -n 1; else echo absent; fi',
  'sec virsh; if command -v virsh >/dev/null 2>&1; then out=$($S timeout 15 virsh -c qemu:///system version --daemon 2>&1); echo "exit=$?"; printf "%s\\n" "$out" | head -n 8; else echo absent; fi',
  `sec packages; dpkg-query -W -f='\${Package} \${db:Status-Status}\\n' ${REQUIRED_PACKAGES.join(' ')} 2>/dev/null; true`,
  'sec commands; for c in sh apt-get dpkg-query mkdir df timeout systemctl virsh qemu-img qemu-system-x86_64 genisoimage; do if command -v "$c" >/dev/null 2>&1; then echo "$c yes"; else echo "$c no"; fi; done',
  'sec init; cat /proc/1/comm 2>/dev/null',
  'sec hostname; hostname',
].join('\n');

export function splitSections(out: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | null = null;
  let lines: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^@@([a-z-]+)@@$/.exec(line);
    if (m) {
      if (current) sections.set(current, lines.join('\n').trim());
      current = m[1];
      lines = [];
    } else if (current) lines.push(line);
  }
  if (current) sections.set(current, lines.join('\n').trim());
  return sections;
}

/** Builds the report from the gather script's output (exported for unit tests). */
export function reportFromOutput(out: string, target: string, at = new Date().toISOString()): PreflightReport {
  const s = splitSections(out);
  const get = (k: string) => s.get(k) ?? '';
  const os = parseOsRelease(get('os-release'));
  const uid = Number(get('uid') || NaN);
  const sudo = (['root', 'yes', 'no'] as const).find((v) => v === get('sudo')) ?? 'no';
  const cpu = parseCpuFlags(get('cpu'));
  const kvmState = (['usable', 'unopenable', 'not-a-device', 'absent'] as const).find((v) => v === get('kvm')) ?? 'absent';
  const mem = parseMeminfo(get('meminfo'));
  const disk = parseDf(get('df'));
  const libvirt = parseLibvirt(get('libvirtd'), get('virsh'));
  const installed = parseDpkgStatus(get('packages'));
  const commands = parseCommands(get('commands'));
  const checks = [
    checkOs(os),
    checkPrivileges(uid, sudo, get('user') || 'the user'),
    checkCpuVirt(cpu),
    checkKvm(kvmState as KvmState),
    checkMemory(mem),
    checkDisk(disk),
    checkLibvirt(libvirt),
    checkPackages(installed),
    checkCommands(commands),
  ];
  return {
    at,
    target,
    ok: checks.every((c) => c.status !== 'fail'),
    os,
    virtType: (cpu.vmx || cpu.svm) && kvmState === 'usable' ? 'kvm' : 'qemu',
    needsSudo: uid !== 0,
    init: get('init') || 'unknown',
    hostname: get('hostname'),
    vcpus: Number(get('nproc')) || 0,
    memoryMb: mem.totalMb,
    diskMb: disk?.sizeMb ?? 0,
    diskAvailableMb: disk?.availableMb ?? 0,
    cpuModel: cpu.model,
    libvirtVersion: libvirt.daemonVersion ?? libvirt.installedVersion,
    missingPackages: REQUIRED_PACKAGES.filter((p) => !installed.has(p)),
    checks,
  };
}

/** Runs the read-only gather script on the host and returns the report. */
export async function runPreflight(exec: Executor, opts: { signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<PreflightReport> {
  const res = await exec.run(['sh', '-c', GATHER_SCRIPT], { signal: opts.signal, timeoutMs: 60_000 });
  if (!res.stdout.includes('@@os-release@@')) {
    throw new Error(`the preflight script did not run on ${exec.target} (exit ${res.code}): ${res.stderr.trim().slice(-300) || 'no output'}`);
  }
  const report = reportFromOutput(res.stdout, exec.target);
  for (const c of report.checks) opts.log?.(`${c.status.toUpperCase().padEnd(4)} ${c.title}: ${c.detail}${c.fix ? ` — ${c.fix}` : ''}`);
  return report;
}
