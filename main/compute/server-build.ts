// The build of one server as a task: scheduling → networking → spawning → ACTIVE, or ERROR with
// a fault and the allocation released. Each step is an instance action event, as in Nova.
import { DeskError } from '../core/errors';
import { abortCauseOf, type TaskContext } from '../core/tasks';
import { nowIso } from '../core/ids';
import { POWER_STATE_CODE } from '../drivers/types';
import type { GroupPolicy } from '../scheduler/scheduler';
import type { ComputeCore } from './compute-deps';
import { instanceSpecOf, type BuildImage } from './instance-spec';
import { allocateFixedIp, releaseFixedIps } from './ip-allocator';
import type { ServerRow } from './server-store';
import { TASK, VM } from './states';
import type { FixedAddress } from './types';

interface StoredNet {
  id: string;
  name: string;
  hostNetwork: string;
  cidr: string;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** What a project member reads of a failed build; the full message is for admins. */
export const buildFailed = (serverId: string): string => `Build of instance ${serverId} failed; ask your cloud administrator for details.`;

/** Puts the server in ERROR with a fault and gives back what it held (allocation, IPs). */
export function failServer(core: ComputeCore, serverId: string, code: number, message: string, details = '', publicMessage?: string): void {
  try {
    core.scheduler.release(serverId);
  } catch (e) {
    core.log.warn({ serverId, err: messageOf(e) }, 'releasing the allocation of a failed server');
  }
  releaseFixedIps(core.db, serverId);
  core.servers.setFault(serverId, code, message, details, publicMessage);
  core.servers.update(serverId, { vm_state: VM.ERROR, task_state: null, power_state: POWER_STATE_CODE.nostate, addresses: '[]' });
}

/** Tracks the task so delete can cancel it, and never lets a task's failure go unhandled. */
export function track(core: ComputeCore, serverId: string, started: { task: { id: string }; done: Promise<unknown> }): void {
  const entry = { taskId: started.task.id, done: started.done.catch((e) => core.log.warn({ serverId, err: messageOf(e) }, 'server task ended abnormally')) };
  core.running.set(serverId, entry);
  void entry.done.then(() => {
    if (core.running.get(serverId) === entry) core.running.delete(serverId);
  });
}

export interface BuildOptions {
  /** The build was interrupted by a stopped control plane and starts again (rescheduled from nothing). */
  resumed?: boolean;
  /** The admin password the create returned, for the guest's config drive (not kept across a restart). */
  adminPass?: string;
}

/**
 * Starts the build task. The user may cancel it: the driver unwinds what it made, and the server
 * ends in ERROR with a fault saying so and everything it held given back.
 */
export function startBuild(core: ComputeCore, serverId: string, actionId: number, image: BuildImage, opts: BuildOptions = {}): void {
  const row = core.servers.row(serverId)!;
  const started = core.tasks.start(
    {
      kind: 'server.build',
      title: `Build server ${row.name}`,
      resourceType: 'server',
      resourceId: serverId,
      projectId: row.project_id,
      cancellable: true,
      onCancelled: () => settleCancelledBuild(core, serverId, actionId),
    },
    (ctx) => runBuild(core, ctx, row, actionId, image, opts),
  );
  track(core, serverId, started);
}

async function runBuild(core: ComputeCore, ctx: TaskContext, row: ServerRow, actionId: number, image: BuildImage, opts: BuildOptions): Promise<void> {
  const serverId = row.id;
  const op = { signal: ctx.signal, log: (line: string) => ctx.log(line) };
  const flavor = JSON.parse(row.flavor) as { vcpus: number; ram: number; disk: number; ephemeral: number };
  const nets = JSON.parse(row.networks) as StoredNet[];
  if (opts.resumed) ctx.log('The control plane stopped during the last attempt; building again from scheduling');
  if (opts.resumed && row.config_drive === 'True') ctx.log('The admin password of the create is not kept across a restart, so this config drive carries none.', 'warn');

  ctx.progress(0.05, 'scheduling');
  let placement: { hostId: string; hostName: string };
  const scheduling = core.actions.eventStart(actionId, 'conductor_schedule_and_build_instances', null);
  try {
    placement = scheduleFor(core, serverId, flavor, { zone: row.availability_zone, host: row.requested_host }, row.server_group_id);
  } catch (e) {
    const msg = messageOf(e);
    if (e instanceof DeskError && e.code === 'NoValidHost') {
      const message = msg.startsWith('No valid host was found.') ? msg : `No valid host was found. ${msg}`;
      failServer(core, serverId, 500, message, JSON.stringify(e.details ?? {}));
    } else failServer(core, serverId, 500, msg, '', buildFailed(serverId));
    core.actions.closeOpenEvents(actionId, msg);
    core.actions.finish(actionId);
    throw e;
  }
  core.actions.eventFinish(actionId, scheduling);
  ctx.log(`Scheduled on host ${placement.hostName}`);
  const host = core.hosts.get(placement.hostId);

  // Set once the domain exists on the host: a user's cancel after that point must remove it again.
  let spawned = false;
  try {
    ctx.signal.throwIfAborted();
    await core.actions.event(actionId, 'compute__do_build_and_run_instance', placement.hostName, async () => {
      core.servers.update(serverId, { host_id: placement.hostId, task_state: TASK.NETWORKING, availability_zone: host.availabilityZone });
      ctx.progress(0.2, 'networking');
      const addresses: FixedAddress[] = core.db.transaction(() =>
        nets.map((n) => {
          const { addr, mac } = allocateFixedIp(core.db, n.id, n.name, n.cidr, serverId);
          return { networkId: n.id, networkName: n.name, addr, mac, version: 4 as const };
        }),
      )();
      core.servers.update(serverId, { addresses: JSON.stringify(addresses), task_state: TASK.SPAWNING });
      ctx.progress(0.4, 'spawning');
      const spec = instanceSpecOf(core, row, image, { availabilityZone: host.availabilityZone, addresses }, opts.adminPass);
      await core.hosts.driverFor(placement.hostId).spawn(spec, op);
      spawned = true;
      // A delete or a cancel that arrived during spawn owns the server now.
      ctx.signal.throwIfAborted();
    }, { signal: ctx.signal });
  } catch (e) {
    if (!ctx.signal.aborted) failServer(core, serverId, 500, messageOf(e), '', buildFailed(serverId));
    else if (spawned && abortCauseOf(ctx.signal) === 'user') await removeSpawned(core, ctx, serverId, placement.hostId);
    if (abortCauseOf(ctx.signal) !== 'shutdown') {
      core.actions.closeOpenEvents(actionId, messageOf(ctx.signal.aborted ? ctx.signal.reason : e));
      core.actions.finish(actionId);
    }
    throw e;
  }
  // Only a server still spawning here becomes ACTIVE: a forced host remove or reset-state meanwhile owns it now.
  const activated = core.servers.updateIf(
    serverId,
    { task_state: TASK.SPAWNING, host_id: placement.hostId },
    { vm_state: VM.ACTIVE, task_state: null, power_state: POWER_STATE_CODE.running, launched_at: nowIso() },
  );
  // Events an interrupted earlier attempt left open end with this attempt's result.
  core.actions.closeOpenEvents(actionId);
  core.actions.finish(actionId);
  if (!activated) {
    throw new DeskError('Conflict', `Build of instance ${serverId} finished on ${placement.hostName} after another operation changed the server; its state was left as that operation set it.`);
  }
  ctx.log(`Server ${row.name} is ACTIVE on ${placement.hostName}`);
}

/** The undo of a finished spawn, when the user cancelled just after it: the domain goes again. */
async function removeSpawned(core: ComputeCore, ctx: TaskContext, serverId: string, hostId: string): Promise<void> {
  try {
    await core.hosts.driverFor(hostId).destroy(serverId, { signal: AbortSignal.timeout(120_000), log: (l) => ctx.log(l) });
  } catch (e) {
    ctx.log(`Could not remove the instance from its host after the cancel: ${messageOf(e)}; delete the server to retry.`, 'error');
  }
}

/** After a user's cancel: a server the build still owned goes to ERROR, saying so, and gives back what it held. */
function settleCancelledBuild(core: ComputeCore, serverId: string, actionId: number): void {
  const row = core.servers.row(serverId);
  // A delete, reset-state or host removal that came meanwhile owns the server; leave it to that.
  if (!row || row.deleted !== 0 || row.vm_state !== VM.BUILDING || !BUILD_TASKS.has(row.task_state)) return;
  const message = `Build of instance ${serverId} was cancelled by the user; delete the server, or create it again.`;
  failServer(core, serverId, 500, message, '', message);
  // Nothing of it is left on the host (the driver unwound), so like Nova's failed builds it has no host.
  core.servers.update(serverId, { host_id: null });
  core.actions.closeOpenEvents(actionId, 'Cancelled by the user.');
  core.actions.finish(actionId);
}

const BUILD_TASKS = new Set<string | null>([TASK.SCHEDULING, TASK.NETWORKING, TASK.BLOCK_DEVICE_MAPPING, TASK.SPAWNING]);

function scheduleFor(
  core: ComputeCore,
  serverId: string,
  flavor: { vcpus: number; ram: number; disk: number; ephemeral: number },
  where: { zone: string | null; host: string | null },
  groupId: string | null,
): { hostId: string; hostName: string } {
  let group: { policy: GroupPolicy; memberHostIds: string[] } | undefined;
  if (groupId) {
    const policy = core.db.prepare('SELECT policy FROM server_groups WHERE id = ?').pluck().get(groupId) as GroupPolicy | undefined;
    if (policy) group = { policy, memberHostIds: core.groups.memberHostIds(groupId, serverId) };
  }
  return core.scheduler.schedule({
    serverId,
    vcpus: flavor.vcpus,
    memoryMb: flavor.ram,
    diskGb: flavor.disk + flavor.ephemeral,
    ...(where.zone ? { availabilityZone: where.zone } : {}),
    ...(where.host ? { host: where.host } : {}),
    ...(group ? { group } : {}),
  });
}

export { releaseFixedIps };
