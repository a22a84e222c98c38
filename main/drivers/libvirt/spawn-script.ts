// Runs resources/host/spawn-instance.sh: every host-side step of a spawn (checks, networks, instance
// folder, disk, seed, DHCP reservations, define, autostart, start) in one command, so a spawn with a
// cached image is one round trip. The script reports what it makes line by line; the caller turns
// each report into an undo step at once, so a failure or a cancel midway unwinds exactly that.
import { DeskError } from '../../core/errors';
import { tail } from '../executor/exec-common';
import type { ExecResult, Executor } from '../executor/executor';
import type { OpContext } from '../types';
import type { Reservation } from './dhcp-reservation';
import { hostScript } from './host-scripts';
import type { HostPaths } from './paths';
import { tarArchive, type TarEntry } from './tar';
import type { Virsh } from './virsh';

const SPAWN_TIMEOUT_MS = 300_000;
/** The exit code with which the script says the base image is not cached (and it made nothing). */
const NEED_IMAGE = 3;
const NETWORK_NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

export interface SpawnScriptInput {
  id: string;
  /** The cached base image the disk overlays. */
  base: string;
  diskGb: number;
  seedLabel: 'cidata' | 'config-2';
  /** libvirt networks the NICs attach to. */
  networks: string[];
  reservations: Reservation[];
  /** domain.xml and seed/… for the instance folder. */
  files: TarEntry[];
}

/** A thing the script made, reported as soon as it (possibly) exists. */
export type Made = { kind: 'dir' } | { kind: 'reservation'; reservation: Reservation } | { kind: 'domain' } | { kind: 'running' };

export type SpawnOutcome = 'started' | 'need-image';

export interface SpawnHost {
  executor: Executor;
  virsh: Virsh;
  paths: HostPaths;
  hostName: string;
}

export function spawnArgv(paths: HostPaths, input: SpawnScriptInput): string[] {
  for (const n of [...input.networks, ...input.reservations.map((r) => r.network)]) {
    if (!NETWORK_NAME.test(n)) throw new DeskError('BadRequest', `libvirt network name "${n.slice(0, 80)}" is not valid — use letters, digits, dots, dashes and underscores`);
  }
  return [
    'sh', '-c', hostScript('spawn-instance.sh'), 'spawn-instance',
    '--id', input.id,
    '--state-dir', paths.stateDir,
    '--base', input.base,
    '--disk-gb', String(input.diskGb),
    '--seed', input.seedLabel,
    ...input.networks.flatMap((n) => ['--network', n]),
    ...input.reservations.flatMap((r) => ['--reserve', r.network, r.mac, r.ip]),
  ];
}

/** Parses one `ds-made …` line. */
function madeOf(words: string[]): Made | undefined {
  if (words[1] === 'dir' || words[1] === 'domain' || words[1] === 'running') return { kind: words[1] };
  if (words[1] === 'reservation' && words.length === 5) return { kind: 'reservation', reservation: { network: words[2], mac: words[3], ip: words[4] } };
  return undefined;
}

export async function runSpawnScript(host: SpawnHost, input: SpawnScriptInput, op: OpContext, onMade: (m: Made) => void): Promise<SpawnOutcome> {
  let failure: string[] | undefined;
  let started = false;
  const r = await host.executor.run(spawnArgv(host.paths, input), {
    signal: op.signal,
    timeoutMs: SPAWN_TIMEOUT_MS,
    // a cancel kills the script, but every line it printed still has to reach the undo list
    drainOnStop: true,
    stdin: tarArchive(input.files),
    onLine: (line, stream) => {
      if (stream !== 'stdout') return;
      const words = line.split(' ');
      if (words[0] === 'ds-made') {
        const made = madeOf(words);
        if (made) onMade(made);
      } else if (words[0] === 'ds-skipped') {
        op.log?.(`fixed IP ${words[2]} is outside libvirt network ${words[1]}; the guest takes a DHCP lease instead`);
      } else if (words[0] === 'ds-log') {
        op.log?.(`${words.slice(1).join(' ')} on host ${host.hostName}`);
      } else if (words[0] === 'ds-fail') {
        failure = words.slice(1);
      } else if (words[0] === 'ds-done') {
        started = true;
      }
    },
  });
  if (r.code === 0 && started) return 'started';
  if (r.code === NEED_IMAGE && r.stdout.includes('ds-need-image')) return 'need-image';
  throw spawnError(host, input.id, failure ?? [], r);
}

/** The script's failure as the error each step raised when it ran on its own. */
function spawnError(host: SpawnHost, id: string, failure: string[], r: ExecResult): DeskError {
  const [kind = '', ...rest] = failure;
  const detail = rest.join(' ');
  const why = tail(r.stderr) || `exit ${r.code}`;
  const dir = host.paths.instanceDir(id);
  switch (kind) {
    case 'conflict-domain':
      return new DeskError('Conflict', `host ${host.hostName} already has an instance ${id} — destroy it first`, { id });
    case 'conflict-dir':
      return new DeskError('Conflict', `host ${host.hostName}: ${dir} is left from an earlier instance ${id} — destroy that instance, then retry`, { id });
    case 'no-dir':
      return new DeskError('Unavailable', `host ${host.hostName}: cannot create ${dir}: ${why} — check that ${host.paths.instancesDir} is writable (provision the host again)`, { id });
    case 'no-network':
      return new DeskError('NotFound', `host ${host.hostName}: libvirt network "${detail}" does not exist — provision the host's networks again`);
    case 'virsh':
      return host.virsh.failed([detail, id], r);
    case 'step': {
      const hint = detail === 'qemu-img' ? 'check free space on the host' : detail === 'genisoimage' ? 'install genisoimage on the host (provision it again)' : 'run the step by hand on the host to see why';
      return new DeskError('Internal', `host ${host.hostName}: spawning ${id} failed at ${detail}: ${why} — ${hint}`, { id, step: detail });
    }
    case 'define-default-network':
      return new DeskError('Internal', `host ${host.hostName}: cannot define libvirt's default network: ${why} — install libvirt-daemon-system (it ships the default network)`);
    default:
      return new DeskError('Internal', `host ${host.hostName}: spawning ${id} failed (${kind ? `${kind} ${detail}` : `exit ${r.code}`}): ${why} — see the libvirtd log on the host`, { id, exitCode: r.code });
  }
}
