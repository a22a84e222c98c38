import type { Db } from './db';
import { DeskError, toEnvelope } from './errors';
import type { EventBus, LogLevel, TaskState, TaskView } from './events';
import { newUuid } from './ids';
import { Semaphore } from './semaphore';

export interface TaskSpec {
  kind: string;
  title: string;
  resourceType?: string;
  resourceId?: string;
  projectId?: string | null;
  /** Tasks on the same host share that host's concurrency limit. */
  hostId?: string | null;
  /**
   * True when stopping the work midway leaves nothing half-done: the work unwinds through its signal
   * and onCancelled settles its resource. Only these are offered to the user for cancel.
   */
  cancellable?: boolean;
  /** Runs once after a user's cancel, when the work has unwound (or never started): settles the resource. */
  onCancelled?: () => void;
}

/** Why a task's signal was aborted: the user cancelled it, another operation took its resource over, or the control plane is stopping. */
export type AbortCause = 'user' | 'superseded' | 'shutdown';

const abortReason = (cause: AbortCause, message: string): DeskError =>
  new DeskError(cause === 'shutdown' ? 'Unavailable' : 'Conflict', message, { abortedBy: cause });

/** The cause of an aborted signal, or null while it is not aborted. */
export function abortCauseOf(signal: AbortSignal): AbortCause | null {
  if (!signal.aborted) return null;
  const r: unknown = signal.reason;
  const by = r instanceof DeskError ? r.details?.abortedBy : undefined;
  return by === 'user' || by === 'shutdown' ? by : 'superseded';
}

export interface TaskContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Moves the progress bar (0..1) and optionally names the current step. */
  progress(fraction: number, step?: string): void;
  log(line: string, level?: LogLevel): void;
}

export interface StartedTask {
  task: TaskView;
  /** Settles when the task ends; never rejects (the outcome is in the task row). */
  done: Promise<TaskView>;
}

interface TaskRow {
  id: string;
  kind: string;
  title: string;
  resource_type: string | null;
  resource_id: string | null;
  project_id: string | null;
  host_id: string | null;
  state: TaskState;
  progress: number;
  step: string;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

const toView = (r: TaskRow, cancellable: boolean): TaskView => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  projectId: r.project_id,
  hostId: r.host_id,
  state: r.state,
  progress: r.progress,
  step: r.step,
  error: r.error ? (JSON.parse(r.error) as TaskView['error']) : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
  cancellable: cancellable && (r.state === 'queued' || r.state === 'running'),
});

/**
 * Runs long work as durable rows: state, progress, step, log and error survive a restart.
 * Work on one host is limited to `perHostLimit` at once; cancel reaches the work through its AbortSignal.
 */
export class TaskRunner {
  private readonly live = new Map<string, { controller: AbortController; spec: TaskSpec }>();
  private readonly hostSlots = new Map<string, Semaphore>();
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly perHostLimit = 4,
  ) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO tasks (id, kind, title, resource_type, resource_id, project_id, host_id, state, progress, step, created_at, updated_at)
         VALUES (@id, @kind, @title, @resource_type, @resource_id, @project_id, @host_id, 'queued', 0, '', @now, @now)`,
      ),
      get: db.prepare('SELECT * FROM tasks WHERE id = ?'),
      progress: db.prepare('UPDATE tasks SET progress = ?, step = ?, updated_at = ? WHERE id = ?'),
      state: db.prepare('UPDATE tasks SET state = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?'),
      log: db.prepare('INSERT INTO task_log (task_id, at, level, line) VALUES (?, ?, ?, ?)'),
    };
  }

  /** Records the task and starts it in the background. */
  start(spec: TaskSpec, work: (ctx: TaskContext) => Promise<void>): StartedTask {
    const id = newUuid();
    const now = new Date().toISOString();
    this.stmt.insert.run({
      id,
      kind: spec.kind,
      title: spec.title,
      resource_type: spec.resourceType ?? null,
      resource_id: spec.resourceId ?? null,
      project_id: spec.projectId ?? null,
      host_id: spec.hostId ?? null,
      now,
    });
    const controller = new AbortController();
    this.live.set(id, { controller, spec });
    const task = this.get(id);
    this.publish(task);
    const done = this.execute(task, controller, spec, work);
    return { task, done };
  }

  get(id: string): TaskView {
    const row = this.stmt.get.get(id) as TaskRow | undefined;
    if (!row) throw new DeskError('NotFound', `Task ${id} could not be found.`);
    return this.view(row);
  }

  list(filter: { projectId?: string | null; states?: TaskState[]; limit?: number } = {}): TaskView[] {
    const where: string[] = [];
    const args: unknown[] = [];
    // A project's list holds only its own tasks; host-level work (project_id NULL) is for unfiltered (admin) lists.
    if (filter.projectId !== undefined) {
      where.push('project_id = ?');
      args.push(filter.projectId);
    }
    if (filter.states?.length) {
      where.push(`state IN (${filter.states.map(() => '?').join(',')})`);
      args.push(...filter.states);
    }
    const sql = `SELECT * FROM tasks ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC LIMIT ?`;
    args.push(filter.limit ?? 200);
    return (this.db.prepare(sql).all(...args) as TaskRow[]).map((r) => this.view(r));
  }

  logs(id: string): Array<{ at: string; level: LogLevel; line: string }> {
    return this.db.prepare('SELECT at, level, line FROM task_log WHERE task_id = ? ORDER BY id').all(id) as Array<{
      at: string;
      level: LogLevel;
      line: string;
    }>;
  }

  /**
   * Stops a task because another operation takes its resource over (a delete stops a build): the
   * new owner settles the resource, so onCancelled does not run. False when it had already ended.
   */
  cancel(id: string, why = 'Another operation on the same resource took over.'): boolean {
    const t = this.live.get(id);
    if (!t) return false;
    t.controller.abort(abortReason('superseded', why));
    return true;
  }

  /**
   * The user's cancel: only for a cancellable task that is still queued or running. Its work
   * unwinds through the signal, then the task's onCancelled settles the resource.
   */
  cancelByUser(id: string): TaskView {
    const task = this.get(id);
    const t = this.live.get(id);
    if (!t) throw new DeskError('Conflict', `Task '${task.title}' has already ended (${task.state}); there is nothing to cancel.`, { state: task.state });
    if (!t.spec.cancellable) {
      throw new DeskError('Conflict', `Task '${task.title}' cannot be cancelled safely: stopping it midway could leave its ${task.resourceType ?? 'resource'} half-changed. Wait for it to end.`, {
        kind: task.kind,
      });
    }
    t.controller.abort(abortReason('user', 'Cancelled by the user.'));
    return this.get(id);
  }

  /**
   * At start-up: tasks that were queued or running when the process died are marked interrupted
   * and returned, so each service can resume or roll back its resources.
   */
  recoverInterrupted(): TaskView[] {
    const rows = (this.db.prepare("SELECT * FROM tasks WHERE state IN ('queued','running')").all() as TaskRow[]).filter((r) => !this.live.has(r.id));
    const now = new Date().toISOString();
    const mark = this.db.prepare("UPDATE tasks SET state = 'interrupted', error = ?, updated_at = ?, finished_at = ? WHERE id = ?");
    const err = JSON.stringify({ code: 'Unavailable', message: 'The control plane stopped while this task ran; it was reconciled at start-up.' });
    this.db.transaction(() => rows.forEach((r) => mark.run(err, now, now, r.id)))();
    return rows.map((r) => toView({ ...r, state: 'interrupted' }, false));
  }

  /** Aborts every running task (used on shutdown); they end interrupted, for the next start to pick up. */
  abortAll(): void {
    for (const t of this.live.values()) t.controller.abort(abortReason('shutdown', 'The control plane is shutting down.'));
  }

  private view(row: TaskRow): TaskView {
    return toView(row, this.live.get(row.id)?.spec.cancellable === true);
  }

  private slotsFor(hostId: string | null): Semaphore | null {
    if (!hostId) return null;
    let s = this.hostSlots.get(hostId);
    if (!s) {
      s = new Semaphore(this.perHostLimit);
      this.hostSlots.set(hostId, s);
    }
    return s;
  }

  private async execute(task: TaskView, controller: AbortController, spec: TaskSpec, work: (ctx: TaskContext) => Promise<void>): Promise<TaskView> {
    const slots = this.slotsFor(task.hostId);
    const ctx: TaskContext = {
      id: task.id,
      signal: controller.signal,
      progress: (fraction, step) => {
        const p = Math.max(0, Math.min(1, fraction));
        const current = step ?? this.get(task.id).step;
        this.stmt.progress.run(p, current, new Date().toISOString(), task.id);
        this.publish(this.get(task.id));
      },
      log: (line, level = 'info') => {
        const at = new Date().toISOString();
        this.stmt.log.run(task.id, at, level, line);
        this.bus.emit({ type: 'task.log', taskId: task.id, projectId: task.projectId, at, level, line });
      },
    };
    try {
      if (slots) await slots.acquire();
      try {
        controller.signal.throwIfAborted();
        this.setState(task.id, 'running', null);
        await work(ctx);
        controller.signal.throwIfAborted();
        this.stmt.progress.run(1, this.get(task.id).step, new Date().toISOString(), task.id);
        this.setState(task.id, 'succeeded', null);
      } finally {
        if (slots) slots.release();
      }
    } catch (err) {
      const cause = abortCauseOf(controller.signal);
      const env = toEnvelope(cause ? (controller.signal.reason ?? err) : err);
      ctx.log(`${cause === 'shutdown' ? 'Interrupted' : cause ? 'Cancelled' : 'Failed'}: ${env.message}`, 'error');
      if (cause === 'user' && spec.onCancelled) this.settleCancelled(task.id, spec.onCancelled, ctx);
      this.setState(task.id, cause === 'shutdown' ? 'interrupted' : cause ? 'cancelled' : 'failed', { code: env.code, message: env.message });
    } finally {
      this.live.delete(task.id);
    }
    return this.get(task.id);
  }

  private settleCancelled(id: string, onCancelled: () => void, ctx: TaskContext): void {
    try {
      onCancelled();
    } catch (err) {
      ctx.log(`Settling after the cancel failed: ${toEnvelope(err).message}`, 'error');
    }
  }

  private setState(id: string, state: TaskState, error: { code: string; message: string } | null): void {
    const now = new Date().toISOString();
    const finished = state === 'queued' || state === 'running' ? null : now;
    this.stmt.state.run(state, error ? JSON.stringify(error) : null, now, finished, id);
    this.publish(this.get(id));
  }

  private publish(task: TaskView): void {
    this.bus.emit({ type: 'task', task });
  }
}
