// virsh over an executor, with libvirt's answers mapped to the contract's words.
import { DeskError } from '../../core/errors';
import type { ExecResult, Executor } from '../executor/executor';
import type { OpContext, PowerState } from '../types';

export const LIBVIRT_URI = 'qemu:///system';
const VIRSH_TIMEOUT_MS = 120_000;

export function virshArgv(args: readonly string[]): string[] {
  return ['virsh', '-c', LIBVIRT_URI, ...args];
}

export function isNoDomain(r: ExecResult): boolean {
  return r.code !== 0 && /Domain not found|failed to get domain|no domain with matching/i.test(r.stderr);
}

export class Virsh {
  constructor(
    private readonly executor: Executor,
    private readonly hostName: string,
  ) {}

  run(args: readonly string[], op: OpContext): Promise<ExecResult> {
    return this.executor.run(virshArgv(args), { signal: op.signal, timeoutMs: VIRSH_TIMEOUT_MS });
  }

  /** Runs virsh; a missing domain is NotFound, any other failure names the command. */
  async checked(args: readonly string[], id: string | undefined, op: OpContext): Promise<ExecResult> {
    const r = await this.run(args, op);
    if (id !== undefined && isNoDomain(r)) throw this.notFound(id);
    if (r.code !== 0) throw this.failed(args, r);
    return r;
  }

  failed(args: readonly string[], r: ExecResult): DeskError {
    const msg = (r.stderr || r.stdout).trim().split('\n').slice(-4).join(' ');
    return new DeskError('Internal', `host ${this.hostName}: virsh ${args[0]} failed (exit ${r.code}): ${msg} — see the libvirtd log on the host`, {
      command: `virsh ${args.join(' ')}`,
      exitCode: r.code,
    });
  }

  notFound(id: string): DeskError {
    return new DeskError('NotFound', `instance ${id} could not be found on host ${this.hostName}.`, { kind: 'instance', id, host: this.hostName });
  }

  async domState(id: string, op: OpContext): Promise<PowerState> {
    const r = await this.run(['domstate', id], op);
    if (isNoDomain(r)) throw this.notFound(id);
    if (r.code !== 0) throw this.failed(['domstate', id], r);
    return powerStateOf(r.stdout.trim());
  }

  async exists(id: string, op: OpContext): Promise<boolean> {
    const r = await this.run(['domstate', id], op);
    if (isNoDomain(r)) return false;
    if (r.code !== 0) throw this.failed(['domstate', id], r);
    return true;
  }
}

/** libvirt's state words (virsh domstate / list) as Nova power states. */
export function powerStateOf(word: string): PowerState {
  switch (word.trim().toLowerCase()) {
    case 'running':
    case 'idle':
    case 'blocked':
    case 'in shutdown':
      return 'running';
    case 'paused':
      return 'paused';
    case 'shut off':
      return 'shutdown';
    case 'crashed':
      return 'crashed';
    case 'pmsuspended':
      return 'suspended';
    default:
      return 'nostate';
  }
}

/** Parses `virsh list --all` (columns Id, Name, State; names never hold blanks). */
export function parseDomainList(text: string): { name: string; state: PowerState }[] {
  const out: { name: string; state: PowerState }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+|-)\s+(\S+)\s+(\S.*?)\s*$/.exec(line);
    if (m) out.push({ name: m[2], state: powerStateOf(m[3]) });
  }
  return out;
}
