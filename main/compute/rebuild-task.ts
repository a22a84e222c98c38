// The rebuild of one server as a task, as Nova's conductor and compute manager run it: the host is
// checked (conductor_rebuild_server), then the guest is shut down cleanly (rebuilding), its volumes
// would be detached (rebuild_block_device_mapping: DeskStack attaches none), and the driver makes its
// disk and seed again and boots it (rebuild_spawning) — all one compute_rebuild_instance event. A
// server that was stopped is stopped again (compute_stop_instance). It keeps its host, allocation,
// fixed IPs and MACs throughout; a failure leaves it in ERROR with a fault, holding all of them, so
// it can be rebuilt again.
import { DeskError } from '../core/errors';
import { nowIso } from '../core/ids';
import { abortCauseOf, type TaskContext } from '../core/tasks';
import { POWER_STATE_CODE, type HostDriver, type OpContext } from '../drivers/types';
import type { ComputeCore } from './compute-deps';
import { instanceSpecOf, type BuildImage } from './instance-spec';
import { track } from './server-build';
import type { ServerRow } from './server-store';
import { TASK, VM } from './states';
import type { FixedAddress } from './types';

/** Nova's shutdown_timeout: how long the guest gets to shut down cleanly before its disk goes. */
const CLEAN_SHUTDOWN_SECONDS = 60;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const rebuildFailed = (id: string): string => `Rebuild of instance ${id} failed; ask your cloud administrator for details, or rebuild it again.`;

export interface RebuildOptions {
  /** The password the rebuild returned, for the guest's config drive (never stored, so not after a restart). */
  adminPass?: string;
  /** The control plane stopped during an earlier attempt, which this one repeats under the same action. */
  resumed?: boolean;
}

/** Starts the rebuild task for a server already in task_state rebuilding (power actions and rebuilds are not offered for cancel). */
export function startRebuild(core: ComputeCore, id: string, actionId: number, image: BuildImage, opts: RebuildOptions = {}): void {
  const row = core.servers.row(id)!;
  const started = core.tasks.start(
    { kind: 'server.rebuild', title: `Rebuild server ${row.name}`, resourceType: 'server', resourceId: id, projectId: row.project_id, hostId: row.host_id },
    (tctx) => runRebuild(core, tctx, id, actionId, image, opts),
  );
  track(core, id, started);
}

async function runRebuild(core: ComputeCore, tctx: TaskContext, id: string, actionId: number, image: BuildImage, opts: RebuildOptions): Promise<void> {
  const row = core.servers.row(id)!;
  const hostId = row.host_id!;
  const host = core.hosts.get(hostId);
  const wasStopped = row.vm_state === VM.STOPPED;
  const op: OpContext = { signal: tctx.signal, log: (line) => tctx.log(line) };
  const events = { reuseOpen: opts.resumed, signal: tctx.signal };
  if (opts.resumed) {
    tctx.log('The control plane stopped during the last attempt; rebuilding again');
    if (row.config_drive === 'True') tctx.log('The admin password of the rebuild is not kept across a restart, so this config drive carries none.', 'warn');
  }
  // Nothing on the host has changed until compute starts: a failure before that leaves the server as it was.
  let touched = false;
  try {
    await core.actions.event(actionId, 'conductor_rebuild_server', null, async () => {
      if (host.state === 'down') throw new DeskError('Unavailable', `Host ${host.name} does not answer, so instance ${id} was left as it was. Rebuild it again once the host is back.`);
    }, events);
    await core.actions.event(actionId, 'compute_rebuild_instance', host.name, async () => {
      touched = true;
      const driver = core.hosts.driverFor(hostId);
      tctx.progress(0.1, 'rebuilding');
      await shutDownCleanly(driver, id, op);
      tctx.progress(0.3, 'rebuild_block_device_mapping');
      advance(core, id, host, TASK.REBUILDING, TASK.REBUILD_BLOCK_DEVICE_MAPPING);
      tctx.progress(0.4, 'rebuild_spawning');
      advance(core, id, host, TASK.REBUILD_BLOCK_DEVICE_MAPPING, TASK.REBUILD_SPAWNING);
      // Read again: the request changed the name, hostname, key, user data and metadata before this task began.
      const now = core.servers.row(id)!;
      const spec = instanceSpecOf(core, now, image, { availabilityZone: host.availabilityZone, addresses: JSON.parse(now.addresses) as FixedAddress[] }, opts.adminPass);
      await driver.rebuild(spec, op);
      tctx.signal.throwIfAborted();
    }, events);
    if (wasStopped) {
      // Like Nova: the rebuilt guest comes up ACTIVE, then is stopped hard to the state it was in.
      if (!finish(core, id, { task_state: TASK.POWERING_OFF, power_state: POWER_STATE_CODE.running }, TASK.REBUILD_SPAWNING, hostId)) throw new ChangedMeanwhile(id, host.name);
      tctx.progress(0.9, 'powering-off');
      await core.actions.event(actionId, 'compute_stop_instance', host.name, async () => {
        await core.hosts.driverFor(hostId).powerOff(id, 0, op);
        tctx.signal.throwIfAborted();
      }, events);
    }
    const done = finish(
      core,
      id,
      { vm_state: wasStopped ? VM.STOPPED : VM.ACTIVE, task_state: null, power_state: POWER_STATE_CODE[wasStopped ? 'shutdown' : 'running'] },
      wasStopped ? TASK.POWERING_OFF : TASK.REBUILD_SPAWNING,
      hostId,
    );
    core.actions.closeOpenEvents(actionId);
    core.actions.finish(actionId);
    if (!done) throw new ChangedMeanwhile(id, host.name);
    tctx.log(`Server ${core.servers.row(id)?.name ?? id} rebuilt from image ${image.id} on ${host.name}`);
  } catch (e) {
    if (!tctx.signal.aborted && !(e instanceof ChangedMeanwhile)) await failRebuild(core, id, hostId, messageOf(e), touched);
    if (abortCauseOf(tctx.signal) !== 'shutdown') {
      core.actions.closeOpenEvents(actionId, messageOf(tctx.signal.aborted ? tctx.signal.reason : e));
      core.actions.finish(actionId);
    }
    throw e;
  }
}

/** Another operation (a delete, reset-state, host removal) took the server over: its state is that operation's now. */
class ChangedMeanwhile extends DeskError {
  constructor(id: string, hostName: string) {
    super('Conflict', `Rebuild of instance ${id} on ${hostName} stopped: another operation changed the server meanwhile, and its state was left as that operation set it.`);
  }
}

/** Moves the task_state on as Nova's save(expected_task_state=…) does: only from `from`, on the same host. */
function advance(core: ComputeCore, id: string, host: { id: string; name: string }, from: string, to: string): void {
  if (!core.servers.updateIf(id, { task_state: from, host_id: host.id }, { task_state: to })) throw new ChangedMeanwhile(id, host.name);
}

/** The end state, written only while the server is still in `from` on its host (a slow task never overwrites a newer state). */
function finish(core: ComputeCore, id: string, patch: Partial<Pick<ServerRow, 'vm_state' | 'task_state' | 'power_state'>>, from: string, hostId: string): boolean {
  return core.servers.updateIf(id, { task_state: from, host_id: hostId }, { vm_state: VM.ACTIVE, ...patch, fault: null, launched_at: nowIso() });
}

/** Nova's _power_off_instance(clean_shutdown=True); an instance missing on its host is made again by the rebuild. */
async function shutDownCleanly(driver: HostDriver, id: string, op: OpContext): Promise<void> {
  try {
    await driver.powerOff(id, CLEAN_SHUTDOWN_SECONDS, op);
  } catch (e) {
    if (!(e instanceof DeskError && e.code === 'NotFound')) throw e;
    op.log?.(`Instance ${id} is missing on its host; the rebuild makes it again`);
  }
}

/**
 * A failed rebuild: ERROR with a fault once the host was touched (as Nova's _error_out_instance_on_exception),
 * else the server keeps its vm_state; either way it keeps its host, allocation and addresses.
 */
async function failRebuild(core: ComputeCore, id: string, hostId: string, message: string, touched: boolean): Promise<void> {
  const row = core.servers.row(id);
  if (!row || row.deleted !== 0 || row.task_state === TASK.DELETING) return;
  core.servers.setFault(id, 500, message, '', rebuildFailed(id));
  if (!touched) {
    core.servers.update(id, { task_state: null });
    return;
  }
  const info = await core.hosts
    .driverFor(hostId)
    .getInfo(id, { signal: AbortSignal.timeout(30_000) })
    .catch(() => null);
  core.servers.update(id, { vm_state: VM.ERROR, task_state: null, power_state: POWER_STATE_CODE[info?.powerState ?? 'nostate'] });
}
