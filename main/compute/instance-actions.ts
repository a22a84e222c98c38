import type { Db } from '../core/db';
import { DeskError } from '../core/errors';
import { newRequestId } from '../core/context';
import { nowIso } from '../core/ids';
import { abortCauseOf } from '../core/tasks';
import type { InstanceActionEventView, InstanceActionView } from './types';

interface ActionRow {
  id: number;
  server_id: string;
  request_id: string;
  action: string;
  project_id: string;
  user_id: string;
  start_time: string;
  finish_time: string | null;
  message: string | null;
  updated_at: string;
}

const toView = (r: ActionRow): InstanceActionView => ({
  id: r.id,
  action: r.action,
  serverId: r.server_id,
  requestId: r.request_id,
  projectId: r.project_id,
  userId: r.user_id,
  startTime: r.start_time,
  finishTime: r.finish_time,
  message: r.message,
  updatedAt: r.updated_at,
});

export interface ActionListOptions {
  limit?: number;
  marker?: string;
  changesSince?: string;
  changesBefore?: string;
}

/** Nova's instance action log: one action per API request, events for each compute step. */
export class InstanceActionLog {
  constructor(private readonly db: Db) {}

  start(serverId: string, action: string, who: { requestId: string; projectId: string; userId: string }): number {
    const now = nowIso();
    // request_id names an action; a context reused across calls (UI sessions) gets a fresh one per action.
    const taken = this.db.prepare('SELECT 1 FROM instance_actions WHERE server_id = ? AND request_id = ?').get(serverId, who.requestId);
    const requestId = taken ? newRequestId() : who.requestId;
    return Number(
      this.db
        .prepare('INSERT INTO instance_actions (server_id, request_id, action, project_id, user_id, start_time, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(serverId, requestId, action, who.projectId, who.userId, now, now).lastInsertRowid,
    );
  }

  eventStart(actionId: number, event: string, host: string | null): number {
    return Number(
      this.db.prepare('INSERT INTO instance_action_events (action_id, event, start_time, host) VALUES (?, ?, ?, ?)').run(actionId, event, nowIso(), host).lastInsertRowid,
    );
  }

  /** Ends an event; an error marks the action's message "Error" as Nova does. */
  eventFinish(actionId: number, eventId: number, error?: string): void {
    const now = nowIso();
    this.db.prepare('UPDATE instance_action_events SET finish_time = ?, result = ?, traceback = ? WHERE id = ?').run(now, error ? 'Error' : 'Success', error ?? null, eventId);
    if (error) this.db.prepare("UPDATE instance_actions SET message = 'Error', updated_at = ? WHERE id = ?").run(now, actionId);
    else this.db.prepare('UPDATE instance_actions SET updated_at = ? WHERE id = ?').run(now, actionId);
  }

  /** Ends the action; the first finish counts (a retried step after a restart finishes it once). */
  finish(actionId: number): void {
    const now = nowIso();
    this.db.prepare('UPDATE instance_actions SET finish_time = ?, updated_at = ? WHERE id = ? AND finish_time IS NULL').run(now, now, actionId);
  }

  /** Closes every event of the action still open, with one result (an error message, or success). */
  closeOpenEvents(actionId: number, error?: string): void {
    const open = this.db.prepare('SELECT id FROM instance_action_events WHERE action_id = ? AND finish_time IS NULL').pluck().all(actionId) as number[];
    for (const ev of open) this.eventFinish(actionId, ev, error);
  }

  /** Ends an action that will never run to its end: open events get `why`, the action's message is Error. */
  abandon(actionId: number, why: string): void {
    this.closeOpenEvents(actionId, why);
    this.db.prepare("UPDATE instance_actions SET message = 'Error', updated_at = ? WHERE id = ?").run(nowIso(), actionId);
    this.finish(actionId);
  }

  /** Every action of any server that never finished, oldest first. */
  unfinished(): Array<{ id: number; serverId: string; action: string }> {
    return this.db.prepare('SELECT id, server_id AS serverId, action FROM instance_actions WHERE finish_time IS NULL ORDER BY id').all() as Array<{ id: number; serverId: string; action: string }>;
  }

  /** The server's newest action that never finished (the control plane stopped while it ran), if any. */
  openAction(serverId: string): { id: number; action: string } | null {
    const row = this.db
      .prepare('SELECT id, action FROM instance_actions WHERE server_id = ? AND finish_time IS NULL ORDER BY id DESC LIMIT 1')
      .get(serverId) as { id: number; action: string } | undefined;
    return row ?? null;
  }

  /**
   * Runs step as one event of the action, recording its outcome. With reuseOpen, an event of that
   * name left open by an interrupted run is taken up instead of starting a second one.
   */
  async event<T>(actionId: number, event: string, host: string | null, step: () => Promise<T>, opts: { reuseOpen?: boolean; signal?: AbortSignal } = {}): Promise<T> {
    const open = opts.reuseOpen
      ? (this.db.prepare('SELECT id FROM instance_action_events WHERE action_id = ? AND event = ? AND finish_time IS NULL ORDER BY id DESC LIMIT 1').pluck().get(actionId, event) as number | undefined)
      : undefined;
    const ev = open ?? this.eventStart(actionId, event, host);
    try {
      const out = await step();
      this.eventFinish(actionId, ev);
      return out;
    } catch (e) {
      // Stopped by a shutdown, the step has no result yet: the event stays open for the restart to finish.
      if (!(opts.signal && abortCauseOf(opts.signal) === 'shutdown')) this.eventFinish(actionId, ev, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  list(serverId: string, opts: ActionListOptions = {}): InstanceActionView[] {
    let rows = this.db.prepare('SELECT * FROM instance_actions WHERE server_id = ? ORDER BY start_time DESC, id DESC').all(serverId) as ActionRow[];
    if (opts.changesSince) rows = rows.filter((r) => r.updated_at >= opts.changesSince!);
    if (opts.changesBefore) rows = rows.filter((r) => r.updated_at <= opts.changesBefore!);
    if (opts.marker !== undefined) {
      const i = rows.findIndex((r) => r.request_id === opts.marker);
      if (i < 0) throw new DeskError('BadRequest', `Marker ${opts.marker} could not be found.`);
      rows = rows.slice(i + 1);
    }
    if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
    return rows.map(toView);
  }

  get(serverId: string, requestId: string): InstanceActionView {
    const row = this.db.prepare('SELECT * FROM instance_actions WHERE server_id = ? AND request_id = ? ORDER BY id DESC LIMIT 1').get(serverId, requestId) as ActionRow | undefined;
    if (!row) throw new DeskError('NotFound', `Action for request_id ${requestId} on instance ${serverId} not found`, { kind: 'instance_action', id: requestId });
    const events = this.db
      .prepare('SELECT event, start_time, finish_time, result, traceback, host FROM instance_action_events WHERE action_id = ? ORDER BY id')
      .all(row.id) as Array<{ event: string; start_time: string; finish_time: string | null; result: string | null; traceback: string | null; host: string | null }>;
    return {
      ...toView(row),
      events: events.map((e): InstanceActionEventView => ({ event: e.event, startTime: e.start_time, finishTime: e.finish_time, result: e.result, traceback: e.traceback, host: e.host })),
    };
  }
}
