// Power actions, console output and delete. Each action checks Nova's allowed states, sets the
// task_state at once (a second request gets 409), then runs as a task that calls the host driver.
import type { RequestContext } from '../core/context';
import { conflict } from '../core/errors';
import { nowIso } from '../core/ids';
import { abortCauseOf } from '../core/tasks';
import { POWER_STATE_CODE, type OpContext } from '../drivers/types';
import type { ComputeCore } from './compute-deps';
import { releaseFixedIps, track } from './server-build';
import type { ServerRow } from './server-store';
import { checkInstanceState, TASK, VM } from './states';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Nova refuses actions on a locked server unless the caller is admin. */
export function checkLocked(ctx: RequestContext, row: ServerRow): void {
  if (row.locked === 1 && !ctx.isAdmin) throw conflict(`Instance ${row.id} is locked`);
}

interface PowerOp {
  action: 'start' | 'stop' | 'reboot';
  taskState: string;
  event: string;
  title: string;
  run: (id: string, op: OpContext, driver: ReturnType<ComputeCore['hosts']['driverFor']>) => Promise<void>;
  done: { vm_state: string; power_state: number };
}

export type PowerKind = 'start' | 'stop' | 'reboot_soft' | 'reboot_hard';

const POWER: Record<PowerKind, PowerOp> = {
  start: {
    action: 'start',
    taskState: TASK.POWERING_ON,
    event: 'compute_start_instance',
    title: 'Start',
    run: (id, op, d) => d.powerOn(id, op),
    done: { vm_state: VM.ACTIVE, power_state: POWER_STATE_CODE.running },
  },
  stop: {
    action: 'stop',
    taskState: TASK.POWERING_OFF,
    event: 'compute_stop_instance',
    title: 'Stop',
    // Nova's default shutdown_timeout: 60 s of ACPI before a hard power-off.
    run: (id, op, d) => d.powerOff(id, 60, op),
    done: { vm_state: VM.STOPPED, power_state: POWER_STATE_CODE.shutdown },
  },
  reboot_soft: {
    action: 'reboot',
    taskState: TASK.REBOOTING,
    event: 'compute_reboot_instance',
    title: 'Reboot',
    run: (id, op, d) => d.reboot(id, 'SOFT', op),
    done: { vm_state: VM.ACTIVE, power_state: POWER_STATE_CODE.running },
  },
  reboot_hard: {
    action: 'reboot',
    taskState: TASK.REBOOTING_HARD,
    event: 'compute_reboot_instance',
    title: 'Hard reboot',
    run: (id, op, d) => d.reboot(id, 'HARD', op),
    done: { vm_state: VM.ACTIVE, power_state: POWER_STATE_CODE.running },
  },
};

/** The power action a server's task_state says was under way, if it is one. */
export function powerKindOf(taskState: string | null): PowerKind | null {
  const found = (Object.entries(POWER) as Array<[PowerKind, PowerOp]>).find(([, p]) => p.taskState === taskState);
  return found ? found[0] : null;
}

/** The instance action a power kind is recorded under (stop, start, reboot). */
export const powerActionName = (kind: PowerKind): string => POWER[kind].action;

function requestPowerOp(core: ComputeCore, ctx: RequestContext, row: ServerRow, kind: PowerKind): void {
  const p = POWER[kind];
  const actionId = core.actions.start(row.id, p.action, ctx);
  core.servers.update(row.id, { task_state: p.taskState });
  // Only a HARD reboot gets here while a task runs (it interrupts a soft reboot); that task is stopped first.
  const previous = core.running.get(row.id);
  if (previous) core.tasks.cancel(previous.taskId, `${p.title} of server ${row.name} took over.`);
  runPowerTask(core, row, actionId, kind, { previous });
}

/**
 * Runs an accepted power action again after the control plane stopped midway (Nova's _init_instance
 * retries stop, start and reboot too): under its open action, finishing the event it left open.
 */
export function resumePowerOp(core: ComputeCore, row: ServerRow, actionId: number, kind: PowerKind): void {
  core.servers.update(row.id, { task_state: POWER[kind].taskState });
  runPowerTask(core, row, actionId, kind, { resumed: true });
}

function runPowerTask(core: ComputeCore, row: ServerRow, actionId: number, kind: PowerKind, opts: { previous?: { done: Promise<unknown> }; resumed?: boolean }): void {
  const p = POWER[kind];
  const { previous } = opts;
  const hostName = row.host_id ? core.hosts.get(row.host_id).name : null;
  // Power actions are quick and not safely stoppable midway (a half-done ACPI shutdown); they are not offered for cancel.
  const started = core.tasks.start(
    { kind: `server.${p.action}`, title: `${p.title} server ${row.name}`, resourceType: 'server', resourceId: row.id, projectId: row.project_id, hostId: row.host_id },
    async (tctx) => {
      const op: OpContext = { signal: tctx.signal, log: (line) => tctx.log(line) };
      if (opts.resumed) tctx.log(`The control plane stopped before this ${p.title.toLowerCase()} finished; running it again`);
      if (previous) {
        tctx.log('Waiting for the running task on this server to stop');
        await previous.done;
      }
      try {
        await core.actions.event(
          actionId,
          p.event,
          hostName,
          async () => {
            if (!row.host_id) throw conflict(`Instance ${row.id} has no host; it was never built.`);
            await p.run(row.id, op, core.hosts.driverFor(row.host_id));
            tctx.signal.throwIfAborted();
          },
          { reuseOpen: opts.resumed, signal: tctx.signal },
        );
        core.servers.update(row.id, { ...p.done, task_state: null, fault: null });
      } catch (e) {
        // Like Nova's reverts_task_state: the server keeps its vm_state, the fault is recorded.
        if (!tctx.signal.aborted) {
          core.servers.setFault(row.id, 500, messageOf(e), '', `${p.title} of instance ${row.id} failed; ask your cloud administrator for details.`);
          core.servers.update(row.id, { task_state: null });
        }
        throw e;
      } finally {
        // Stopped by a shutdown, the action stays open: the next start runs it again.
        if (abortCauseOf(tctx.signal) !== 'shutdown') core.actions.finish(actionId);
      }
    },
  );
  track(core, row.id, started);
}

export function startServer(core: ComputeCore, ctx: RequestContext, id: string): void {
  const row = core.servers.visibleRow(ctx, id);
  checkLocked(ctx, row);
  checkInstanceState('start', 'start', id, row.vm_state, row.task_state);
  requestPowerOp(core, ctx, row, 'start');
}

export function stopServer(core: ComputeCore, ctx: RequestContext, id: string): void {
  const row = core.servers.visibleRow(ctx, id);
  checkLocked(ctx, row);
  checkInstanceState('stop', 'stop', id, row.vm_state, row.task_state);
  requestPowerOp(core, ctx, row, 'stop');
}

export function rebootServer(core: ComputeCore, ctx: RequestContext, id: string, kind: 'SOFT' | 'HARD'): void {
  const row = core.servers.visibleRow(ctx, id);
  checkLocked(ctx, row);
  checkInstanceState(kind === 'SOFT' ? 'reboot_soft' : 'reboot_hard', 'reboot', id, row.vm_state, row.task_state);
  requestPowerOp(core, ctx, row, kind === 'SOFT' ? 'reboot_soft' : 'reboot_hard');
}

export async function consoleOutput(core: ComputeCore, ctx: RequestContext, id: string, lines?: number): Promise<string> {
  const row = core.servers.visibleRow(ctx, id);
  checkInstanceState('get_console_output', 'get_console_output', id, row.vm_state, row.task_state);
  if (!row.host_id) throw conflict(`Instance ${id} is not ready: it has no host.`);
  return core.hosts.driverFor(row.host_id).consoleOutput(id, lines, { signal: AbortSignal.timeout(30_000) });
}

/** Gives back a server's resources and marks it deleted (the row stays, as in Nova, for the action log). */
export function markDeleted(core: ComputeCore, id: string): void {
  try {
    core.scheduler.release(id);
  } catch (e) {
    core.log.warn({ serverId: id, err: messageOf(e) }, 'releasing the allocation of a deleted server');
  }
  releaseFixedIps(core.db, id);
  const now = nowIso();
  core.servers.update(
    id,
    { vm_state: VM.DELETED, task_state: null, power_state: POWER_STATE_CODE.nostate, deleted: 1, terminated_at: now },
    'deleted',
  );
}

/** Deletes from any state: cancels a running build or action first, destroys on the host (idempotent), releases the allocation. */
export function deleteServer(core: ComputeCore, ctx: RequestContext, id: string): void {
  const row = core.servers.visibleRow(ctx, id);
  checkLocked(ctx, row);
  const actionId = core.actions.start(id, 'delete', ctx);
  core.servers.update(id, { task_state: TASK.DELETING });
  const previous = core.running.get(id);
  if (previous) core.tasks.cancel(previous.taskId, `Delete of server ${row.name} took over.`);
  const started = core.tasks.start(
    { kind: 'server.delete', title: `Delete server ${row.name}`, resourceType: 'server', resourceId: id, projectId: row.project_id },
    async (tctx) => {
      if (previous) {
        tctx.log('Waiting for the running task on this server to stop');
        await previous.done;
      }
      const current = core.servers.row(id)!;
      try {
        if (current.host_id) {
          const hostId = current.host_id;
          const hostName = core.hosts.get(hostId).name;
          await core.actions.event(actionId, 'compute_terminate_instance', hostName, () => core.hosts.driverFor(hostId).destroy(id, { signal: tctx.signal, log: (l) => tctx.log(l) }), {
            signal: tctx.signal,
          });
        }
        markDeleted(core, id);
        tctx.log(`Server ${row.name} deleted`);
      } catch (e) {
        // The instance may still be on the host, so its allocation stays until a delete succeeds.
        if (!tctx.signal.aborted) {
          core.servers.setFault(id, 500, `Delete failed: ${messageOf(e)}. Check the host, then delete the server again.`, '', `Delete of instance ${id} failed; delete it again, or ask your cloud administrator for details.`);
          core.servers.update(id, { vm_state: VM.ERROR, task_state: null });
        }
        throw e;
      } finally {
        if (abortCauseOf(tctx.signal) !== 'shutdown') core.actions.finish(actionId);
      }
    },
  );
  track(core, id, started);
}
