import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { DeskError, overQuota } from '../core/errors';
import type { EventBus } from '../core/events';
import { newUuid, nowIso } from '../core/ids';
import { PendingLedger, type Hold } from './pending-ledger';
import type { QuotaStore } from './quotas';
import type { ServerGroupView } from './types';

interface GroupRow {
  id: string;
  project_id: string;
  user_id: string;
  name: string;
  policy: ServerGroupView['policy'];
  created_at: string;
}

export class ServerGroupStore {
  /** Members a multi-create admitted whose rows are not written yet. */
  private readonly pendingMembers = new PendingLedger(['members'] as const);

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly quotas: QuotaStore,
  ) {}

  private members(groupId: string): string[] {
    return this.db.prepare('SELECT id FROM servers WHERE server_group_id = ? AND deleted = 0 ORDER BY created_at, id').pluck().all(groupId) as string[];
  }

  private toView(r: GroupRow): ServerGroupView {
    return { id: r.id, name: r.name, projectId: r.project_id, userId: r.user_id, policy: r.policy, members: this.members(r.id), createdAt: r.created_at };
  }

  list(ctx: RequestContext, opts: { allProjects?: boolean; limit?: number; offset?: number } = {}): ServerGroupView[] {
    const all = opts.allProjects && ctx.isAdmin;
    const rows = (all
      ? this.db.prepare('SELECT * FROM server_groups ORDER BY created_at, id').all()
      : this.db.prepare('SELECT * FROM server_groups WHERE project_id = ? ORDER BY created_at, id').all(ctx.projectId)) as GroupRow[];
    const start = opts.offset ?? 0;
    return rows.slice(start, opts.limit !== undefined ? start + opts.limit : undefined).map((r) => this.toView(r));
  }

  get(ctx: RequestContext, id: string): ServerGroupView {
    const row = this.db.prepare('SELECT * FROM server_groups WHERE id = ?').get(id) as GroupRow | undefined;
    if (!row || (row.project_id !== ctx.projectId && !ctx.isAdmin)) throw new DeskError('NotFound', `Instance group ${id} could not be found.`, { kind: 'server_group', id });
    return this.toView(row);
  }

  create(ctx: RequestContext, name: string, policy: ServerGroupView['policy']): ServerGroupView {
    const id = newUuid();
    this.db.transaction(() => {
      const limit = this.quotas.limit(ctx.projectId, 'server_groups');
      const used = this.db.prepare('SELECT COUNT(*) FROM server_groups WHERE project_id = ?').pluck().get(ctx.projectId) as number;
      if (limit >= 0 && used + 1 > limit) throw overQuota('Quota exceeded, too many server groups.');
      this.db
        .prepare('INSERT INTO server_groups (id, project_id, user_id, name, policy, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, ctx.projectId, ctx.userId, name, policy, nowIso());
    }).immediate();
    this.bus.resource('server_group', id, ctx.projectId, 'created');
    return this.get(ctx, id);
  }

  delete(ctx: RequestContext, id: string): void {
    const g = this.get(ctx, id);
    this.db.prepare('DELETE FROM server_groups WHERE id = ?').run(id);
    this.bus.resource('server_group', id, g.projectId, 'deleted');
  }

  /** Hosts of the group's members, for the scheduler's (anti-)affinity filter. */
  memberHostIds(groupId: string, exceptServerId?: string): string[] {
    return this.db
      .prepare('SELECT DISTINCT host_id FROM servers WHERE server_group_id = ? AND deleted = 0 AND host_id IS NOT NULL AND id != ?')
      .pluck()
      .all(groupId, exceptServerId ?? '') as string[];
  }

  /** 403 when adding `count` members would pass server_group_members; else holds them until their rows land. */
  admitMembers(projectId: string, groupId: string, count: number): Hold {
    const limit = this.quotas.limit(projectId, 'server_group_members');
    const used = this.members(groupId).length + this.pendingMembers.get(groupId).members;
    if (limit >= 0 && used + count > limit) throw overQuota('Quota exceeded, too many servers in group');
    return this.pendingMembers.hold(groupId, count, { members: 1 });
  }
}
