// Reads a host's capacity and identity with a handful of plain commands.
import { DeskError } from '../../core/errors';
import type { Executor } from '../executor/executor';
import type { HostFacts, OpContext, VirtType } from '../types';
import { virshArgv } from './virsh';

/** "QEMU 8.2.1" → 8002001, as Nova encodes hypervisor versions. */
export function encodeVersion(text: string): number {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? Number(m[1]) * 1_000_000 + Number(m[2]) * 1_000 + Number(m[3] ?? 0) : 0;
}

export function parseMeminfoMb(text: string): number {
  const kb = Number(/^MemTotal:\s+(\d+)\s+kB/m.exec(text)?.[1] ?? 0);
  return Math.floor(kb / 1024);
}

export function parseCpuModel(text: string): string {
  return /^model name\s*:\s*(.+)$/m.exec(text)?.[1].trim() ?? 'unknown';
}

/** `df -BG -P DIR` → size of its filesystem in GiB. */
export function parseDfGb(text: string): number {
  const fields = text.trim().split('\n').at(-1)?.trim().split(/\s+/) ?? [];
  return Number.parseInt(fields[1] ?? '0', 10) || 0;
}

/** The server address of `$SSH_CONNECTION` ("client cport server sport"), else the first of `hostname -I`. */
export function parseHostIp(sshConnection: string, hostnameI: string): string {
  const fromSsh = sshConnection.trim().split(/\s+/)[2];
  return fromSsh || hostnameI.trim().split(/\s+/)[0] || '127.0.0.1';
}

export async function readFacts(executor: Executor, stateDir: string, virtType: VirtType, op: OpContext): Promise<HostFacts> {
  const run = (argv: string[]) => executor.run(argv, { signal: op.signal, timeoutMs: 30_000 });
  const [hostname, nproc, meminfo, cpuinfo, dfState, dfRoot, version, sshConn, addrs] = await Promise.all([
    run(['hostname']),
    run(['nproc']),
    run(['cat', '/proc/meminfo']),
    run(['cat', '/proc/cpuinfo']),
    run(['df', '-BG', '-P', stateDir]),
    run(['df', '-BG', '-P', '/']),
    run(virshArgv(['version'])),
    run(['printenv', 'SSH_CONNECTION']),
    run(['hostname', '-I']),
  ]);
  if (version.code !== 0) {
    throw new DeskError('Unavailable', `${executor.target}: libvirt does not answer (${version.stderr.trim() || `exit ${version.code}`}) — provision the host or start libvirtd`);
  }
  const hv = /Running hypervisor:\s*(\S+)\s+(\S+)/.exec(version.stdout);
  return {
    hostname: hostname.stdout.trim() || executor.target,
    vcpus: Number.parseInt(nproc.stdout, 10) || 1,
    memoryMb: parseMeminfoMb(meminfo.stdout),
    diskGb: parseDfGb(dfState.code === 0 ? dfState.stdout : dfRoot.stdout),
    cpuModel: parseCpuModel(cpuinfo.stdout),
    virtType,
    hypervisorType: hv?.[1] ?? 'QEMU',
    hypervisorVersion: encodeVersion(hv?.[2] ?? ''),
    hostIp: parseHostIp(sshConn.code === 0 ? sshConn.stdout : '', addrs.stdout),
  };
}
