// Start-up reconciliation: servers left mid-operation by a stopped control plane are settled —
// builds and rebuilds start again, accepted power actions run again (as Nova's _init_instance does), deletes
// finish, and every action left open is closed with its result — then every server's power state
// is synced (Nova's _sync_power_states). Unknown domains on a host are reported, never deleted.
import type { TaskView } from '../core/events';
import { newRequestId } from '../core/context';
import { nowIso } from '../core/ids';
import { POWER_STATE_CODE, type InstanceInfo } from '../drivers/types';
import type { ComputeCore } from './compute-deps';
import type { BuildImage } from './instance-spec';
import { buildFailed, failServer, releaseFixedIps, startBuild } from './server-build';
import { markDeleted, powerActionName, powerKindOf, resumePowerOp } from './server-ops';
import type { ServerRow } from './server-store';
import { startRebuild } from './rebuild-task';
import { REBUILD_TASKS, TASK, VM } from './states';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const op = () => ({ signal: AbortSignal.timeout(30_000) });

async function infoOf(core: ComputeCore, row: ServerRow): Promise<InstanceInfo | null> {
  if (!row.host_id) return null;
  try {
    return await core.hosts.driverFor(row.host_id).getInfo(row.id, op());
  } catch {
    return null;
  }
}

/** Who an action the control plane starts on a server's behalf is recorded under: the server's owner. */
const ownerOf = (row: ServerRow) => ({ requestId: newRequestId(), projectId: row.project_id, userId: row.user_id });

/** The server's unfinished action when it is the one named, else a new one (older rows may lack it). */
function actionFor(core: ComputeCore, row: ServerRow, action: string): number {
  const open = core.actions.openAction(row.id);
  return open && open.action === action ? open.id : core.actions.start(row.id, action, ownerOf(row));
}

/** Ends an interrupted action with the outcome reconciliation reached. */
function closeAction(core: ComputeCore, row: ServerRow, error?: string): void {
  const open = core.actions.openAction(row.id);
  if (!open) return;
  core.actions.closeOpenEvents(open.id, error);
  core.actions.finish(open.id);
}

async function finishDelete(core: ComputeCore, row: ServerRow): Promise<void> {
  try {
    if (row.host_id) await core.hosts.driverFor(row.host_id).destroy(row.id, op());
    closeAction(core, row);
    markDeleted(core, row.id);
  } catch (e) {
    const message = `Delete was interrupted and could not be finished: ${messageOf(e)}. Delete the server again.`;
    closeAction(core, row, message);
    core.servers.setFault(row.id, 500, message);
    core.servers.update(row.id, { vm_state: VM.ERROR, task_state: null });
  }
}

/**
 * A build the control plane stopped in the middle of starts again from scheduling: what the
 * interrupted attempt held (claim, addresses, a half-made domain) is given back first. Only when
 * its image is gone or its owner lost the project does it end in ERROR.
 */
async function resumeBuild(core: ComputeCore, row: ServerRow): Promise<void> {
  const actionId = actionFor(core, row, 'create');
  let image: BuildImage;
  try {
    image = core.images.getForBoot(core.identity.contextFor(row.user_id, row.project_id), row.image_id);
    // The half-made domain goes first, so the new attempt (maybe on another host) starts from nothing.
    if (row.host_id) await core.hosts.driverFor(row.host_id).destroy(row.id, op());
  } catch (e) {
    const message = `Build of instance ${row.id} was interrupted because the control plane stopped, and cannot start again: ${messageOf(e)} Delete the server and create it again.`;
    failServer(core, row.id, 500, message, '', buildFailed(row.id));
    core.actions.closeOpenEvents(actionId, message);
    core.actions.finish(actionId);
    return;
  }
  core.scheduler.release(row.id);
  releaseFixedIps(core.db, row.id);
  core.servers.update(row.id, { host_id: null, task_state: TASK.SCHEDULING, addresses: '[]', power_state: POWER_STATE_CODE.nostate });
  startBuild(core, row.id, actionId, image, { resumed: true });
}

/**
 * A rebuild the control plane stopped in the middle of runs again under its open action (the request's
 * image, name, key and user data are on the row already); only when its image is gone does it end in ERROR.
 */
function resumeRebuild(core: ComputeCore, row: ServerRow): void {
  const actionId = actionFor(core, row, 'rebuild');
  let image: BuildImage;
  try {
    if (!row.host_id) throw new Error('it has no host.');
    image = core.images.getForBoot(core.identity.contextFor(row.user_id, row.project_id), row.image_id);
  } catch (e) {
    const message = `Rebuild of instance ${row.id} was interrupted because the control plane stopped, and cannot start again: ${messageOf(e)} Rebuild it with another image, or delete it.`;
    core.servers.setFault(row.id, 500, message);
    core.servers.update(row.id, { vm_state: VM.ERROR, task_state: null });
    core.actions.closeOpenEvents(actionId, message);
    core.actions.finish(actionId);
    return;
  }
  core.servers.update(row.id, { task_state: TASK.REBUILDING });
  startRebuild(core, row.id, actionId, image, { resumed: true });
}

async function settleInterrupted(core: ComputeCore, row: ServerRow): Promise<void> {
  if (row.task_state === TASK.DELETING) return finishDelete(core, row);
  if (REBUILD_TASKS.includes(row.task_state ?? '')) return resumeRebuild(core, row);
  const info = await infoOf(core, row);
  if (row.vm_state === VM.BUILDING) {
    if (info?.powerState !== 'running') return resumeBuild(core, row);
    // The domain came up before the control plane could record it: the build did finish.
    core.servers.update(row.id, { vm_state: VM.ACTIVE, task_state: null, power_state: POWER_STATE_CODE.running, ...(row.launched_at ? {} : { launched_at: nowIso() }) });
    closeAction(core, row);
    return;
  }
  const power = powerKindOf(row.task_state);
  if (power && row.host_id && core.hosts.list().some((h) => h.id === row.host_id)) {
    // Nova's get_reboot_type: a soft reboot needs a running guest; otherwise it becomes a hard one.
    const kind = power === 'reboot_soft' && info?.powerState !== 'running' ? 'reboot_hard' : power;
    // A rebuild of a stopped server ends with a stop under the rebuild's own action.
    const open = core.actions.openAction(row.id);
    resumePowerOp(core, row, power === 'stop' && open?.action === 'rebuild' ? open.id : actionFor(core, row, powerActionName(power)), kind);
    return;
  }
  const reason = `The control plane stopped during ${row.task_state}; the server was settled from what its host reports.`;
  if (info?.powerState === 'running') {
    core.servers.update(row.id, { vm_state: VM.ACTIVE, task_state: null, power_state: POWER_STATE_CODE.running, ...(row.launched_at ? {} : { launched_at: nowIso() }) });
    closeAction(core, row, reason);
  } else if (info?.powerState === 'shutdown') {
    core.servers.update(row.id, { vm_state: VM.STOPPED, task_state: null, power_state: POWER_STATE_CODE.shutdown });
    closeAction(core, row, reason);
  } else if (info) {
    core.servers.update(row.id, { task_state: null, power_state: POWER_STATE_CODE[info.powerState] });
    closeAction(core, row, reason);
  } else {
    const message = `Instance ${row.id} is missing from its host after the control plane restarted (it was ${row.task_state}).`;
    closeAction(core, row, message);
    failServer(core, row.id, 500, message);
  }
}

/**
 * True when the row is still as read before the host was listed. The check and the change that
 * follows it run in one synchronous stretch, so no task can slip in between.
 */
function unchangedSince(core: ComputeCore, before: ServerRow): boolean {
  const now = core.servers.row(before.id);
  return (
    !!now &&
    now.deleted === 0 &&
    now.task_state === null &&
    now.updated_at === before.updated_at &&
    now.vm_state === before.vm_state &&
    now.power_state === before.power_state &&
    now.host_id === before.host_id
  );
}

/** Domains each host runs that the control plane does not know, by host id: reported, never deleted. */
export type UnknownDomains = Map<string, InstanceInfo[]>;

export async function syncPowerStates(core: ComputeCore, unknown: UnknownDomains): Promise<void> {
  await Promise.all(core.hosts.list().map((host) => syncHostPowerStates(core, host.id, unknown)));
}

/** Nova's _sync_power_states for one host: the hypervisor's view of power wins over the database's. */
export async function syncHostPowerStates(core: ComputeCore, hostId: string, unknown: UnknownDomains): Promise<void> {
  const host = core.hosts.get(hostId);
  if (host.state === 'down') return;
  {
    // Rows are read before the (slow) listing, and each change below applies only to a row nobody
    // touched meanwhile: a build finishing or a stop landing during the listing must not be undone.
    const rows = core.db.prepare('SELECT rowid, * FROM servers WHERE host_id = ? AND deleted = 0').all(host.id) as ServerRow[];
    let found: InstanceInfo[];
    try {
      found = await core.hosts.driverFor(host.id).listInstances(op());
    } catch (e) {
      core.log.warn({ host: host.name, err: messageOf(e) }, 'power state sync skipped: host did not answer');
      return;
    }
    const byId = new Map(found.map((i) => [i.id, i]));
    // Servers placed on the host while it listed are known too, so they are never reported as strangers.
    const known = new Set(core.db.prepare('SELECT id FROM servers WHERE host_id = ? AND deleted = 0').pluck().all(host.id) as string[]);
    for (const r of rows) {
      if (r.task_state !== null || !unchangedSince(core, r)) continue;
      const info = byId.get(r.id);
      if (!info) {
        if (r.vm_state === VM.ACTIVE || r.vm_state === VM.STOPPED) {
          failServer(core, r.id, 500, `Instance ${r.id} is missing from host ${host.name}. Delete the server and create it again.`);
          core.log.warn({ server: r.id, host: host.name }, 'instance missing on its host');
        }
        continue;
      }
      const code = POWER_STATE_CODE[info.powerState];
      if (r.vm_state === VM.ACTIVE && info.powerState === 'shutdown') core.servers.update(r.id, { vm_state: VM.STOPPED, power_state: code });
      else if (r.vm_state === VM.STOPPED && info.powerState === 'running') core.servers.update(r.id, { vm_state: VM.ACTIVE, power_state: code });
      else if (r.power_state !== code) core.servers.update(r.id, { power_state: code });
    }
    const strangers = found.filter((i) => !known.has(i.id));
    const before = new Set((unknown.get(host.id) ?? []).map((i) => i.id));
    for (const i of strangers) {
      if (!before.has(i.id)) core.log.warn({ host: host.name, domain: i.id, powerState: i.powerState }, 'host runs an instance the control plane does not know; left untouched');
    }
    if (strangers.length) unknown.set(host.id, strangers);
    else unknown.delete(host.id);
  }
}

/**
 * Actions nothing carries on (the control plane stopped between accepting one and starting its
 * work, or an older start left it): closed with that result, so no action stays open forever.
 */
function closeAbandonedActions(core: ComputeCore): void {
  for (const a of core.actions.unfinished()) {
    if (core.running.has(a.serverId)) continue;
    core.actions.abandon(a.id, 'The control plane stopped before this action could run; it was not carried out.');
    core.log.warn({ server: a.serverId, action: a.action }, 'closed an instance action the control plane had stopped during');
  }
}

export async function reconcileServers(core: ComputeCore, interrupted: TaskView[], unknown: UnknownDomains): Promise<void> {
  // No task runs at start-up, so every server with a task_state is stale, whether or not its task row says so.
  const stale = core.db.prepare("SELECT rowid, * FROM servers WHERE deleted = 0 AND (task_state IS NOT NULL OR vm_state = 'building')").all() as ServerRow[];
  const fromTasks = new Set(interrupted.filter((t) => t.resourceType === 'server').map((t) => t.resourceId));
  for (const row of stale) {
    core.log.info({ server: row.id, vmState: row.vm_state, taskState: row.task_state, hadTask: fromTasks.has(row.id) }, 'reconciling interrupted server');
    try {
      await settleInterrupted(core, row);
    } catch (e) {
      core.log.error({ server: row.id, err: messageOf(e) }, 'could not reconcile server');
    }
  }
  closeAbandonedActions(core);
  await syncPowerStates(core, unknown);
}
