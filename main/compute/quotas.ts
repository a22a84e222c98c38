import type { Db } from '../core/db';
import type { EventBus } from '../core/events';
import { badRequest, overQuota } from '../core/errors';
import { PendingLedger, type Hold } from './pending-ledger';
import { DEFAULT_QUOTAS, LEGACY_QUOTA_DEFAULTS, QUOTA_RESOURCES, type LegacyQuotaResource, type QuotaResource } from './types';

export interface QuotaUsage {
  instances: number;
  cores: number;
  ram: number;
  key_pairs: number;
  metadata_items: number;
  server_groups: number;
  server_group_members: number;
}

export type AnyQuotaResource = QuotaResource | LegacyQuotaResource;

/** The quota class whose limits every project without its own gets (Nova's only meaningful class). */
export const DEFAULT_CLASS = 'default';

/** Per-project hard limits (Nova's quotas table semantics; a missing row means the default class's value). */
export class QuotaStore {
  private readonly pending = new PendingLedger(['instances', 'cores', 'ram'] as const);

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  /** A quota class's limits: Nova's built-in defaults overlaid with what was set for the class. */
  classLimits(className: string): Record<AnyQuotaResource, number> {
    const out: Record<AnyQuotaResource, number> = { ...DEFAULT_QUOTAS, ...LEGACY_QUOTA_DEFAULTS };
    const rows = this.db.prepare('SELECT resource, hard_limit FROM quota_classes WHERE class_name = ?').all(className) as Array<{ resource: string; hard_limit: number }>;
    for (const r of rows) if (r.resource in out) out[r.resource as AnyQuotaResource] = r.hard_limit;
    return out;
  }

  updateClass(className: string, values: Partial<Record<AnyQuotaResource, number>>): Record<AnyQuotaResource, number> {
    const upsert = this.db.prepare(
      'INSERT INTO quota_classes (class_name, resource, hard_limit) VALUES (?, ?, ?) ON CONFLICT (class_name, resource) DO UPDATE SET hard_limit = excluded.hard_limit',
    );
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) if (v !== undefined) upsert.run(className, k, v);
    })();
    this.bus.resource('quota', className, null, 'updated');
    return this.classLimits(className);
  }

  defaults(): Record<QuotaResource, number> {
    const all = this.classLimits(DEFAULT_CLASS);
    return Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, all[r]])) as Record<QuotaResource, number>;
  }

  /** The quotas old microversions still show and set (the project's own, else the default class's); nothing consumes them. */
  legacyLimits(projectId?: string): Record<LegacyQuotaResource, number> {
    const all = this.classLimits(DEFAULT_CLASS);
    const out = Object.fromEntries(Object.keys(LEGACY_QUOTA_DEFAULTS).map((r) => [r, all[r as LegacyQuotaResource]])) as Record<LegacyQuotaResource, number>;
    if (projectId === undefined) return out;
    const rows = this.db.prepare('SELECT resource, hard_limit FROM quotas WHERE project_id = ?').all(projectId) as Array<{ resource: string; hard_limit: number }>;
    for (const r of rows) if (r.resource in out) out[r.resource as LegacyQuotaResource] = r.hard_limit;
    return out;
  }

  limit(projectId: string, resource: QuotaResource): number {
    const v = this.db.prepare('SELECT hard_limit FROM quotas WHERE project_id = ? AND resource = ?').pluck().get(projectId, resource) as number | undefined;
    return v ?? this.defaults()[resource];
  }

  limits(projectId: string): Record<QuotaResource, number> {
    const rows = this.db.prepare('SELECT resource, hard_limit FROM quotas WHERE project_id = ?').all(projectId) as Array<{ resource: string; hard_limit: number }>;
    const out = this.defaults();
    for (const r of rows) if ((QUOTA_RESOURCES as string[]).includes(r.resource)) out[r.resource as QuotaResource] = r.hard_limit;
    return out;
  }

  /** What the project (and, for key pairs, the user) uses now, servers being written by a multi-create included. */
  usage(projectId: string, userId?: string): QuotaUsage {
    const s = this.db
      .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(json_extract(flavor, \'$.vcpus\')), 0) AS cores, COALESCE(SUM(json_extract(flavor, \'$.ram\')), 0) AS ram FROM servers WHERE project_id = ? AND deleted = 0')
      .get(projectId) as { n: number; cores: number; ram: number };
    const held = this.pending.get(projectId);
    const groups = this.db.prepare('SELECT COUNT(*) FROM server_groups WHERE project_id = ?').pluck().get(projectId) as number;
    const keys = userId ? (this.db.prepare('SELECT COUNT(*) FROM keypairs WHERE user_id = ?').pluck().get(userId) as number) : 0;
    return { instances: s.n + held.instances, cores: s.cores + held.cores, ram: s.ram + held.ram, key_pairs: keys, metadata_items: 0, server_groups: groups, server_group_members: 0 };
  }

  /**
   * Sets limits as Nova's PUT os-quota-sets does: a limit below what the project already uses is refused
   * (BadRequest) unless force; -1 means unlimited. The legacy quotas nothing consumes are only stored.
   */
  set(projectId: string, values: Partial<Record<AnyQuotaResource, number>>, opts: { force?: boolean } = {}): Record<QuotaResource, number> {
    if (!opts.force) {
      const used = this.usage(projectId);
      for (const [r, v] of Object.entries(values)) {
        if (!(QUOTA_RESOURCES as string[]).includes(r) || v === undefined || v === -1) continue;
        const inUse = used[r as QuotaResource];
        if (v < inUse) throw badRequest(`Quota limit ${v} for ${r} must be greater than or equal to already used and reserved ${inUse}.`, { resource: r, used: inUse });
      }
    }
    return this.update(projectId, values);
  }

  update(projectId: string, values: Partial<Record<AnyQuotaResource, number>>): Record<QuotaResource, number> {
    const upsert = this.db.prepare('INSERT INTO quotas (project_id, resource, hard_limit) VALUES (?, ?, ?) ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) if (v !== undefined) upsert.run(projectId, k, v);
    })();
    this.bus.resource('quota', projectId, projectId, 'updated');
    return this.limits(projectId);
  }

  /** Back to the defaults (DELETE os-quota-sets/{project}). */
  reset(projectId: string): void {
    this.db.prepare('DELETE FROM quotas WHERE project_id = ?').run(projectId);
    this.bus.resource('quota', projectId, projectId, 'updated');
  }

  /**
   * Admits as many of `maxCount` servers of this size as fit the project's instances/cores/ram
   * quotas and holds them until their rows land (Hold.landed) or the create gives up (Hold.release).
   * Synchronous, so two creates can never both pass on the same headroom.
   * Throws Nova's TooManyInstances message when fewer than `minCount` fit.
   */
  admitServers(projectId: string, vcpus: number, ram: number, minCount: number, maxCount: number): { count: number; hold: Hold } {
    const count = this.allowedServers(projectId, vcpus, ram, minCount, maxCount);
    return { count, hold: this.pending.hold(projectId, count, { instances: 1, cores: vcpus, ram }) };
  }

  private allowedServers(projectId: string, vcpus: number, ram: number, minCount: number, maxCount: number): number {
    const lim = this.limits(projectId);
    const used = this.usage(projectId);
    const headroom = (limit: number, inUse: number, per: number): number => (limit < 0 || per === 0 ? Infinity : Math.floor((limit - inUse) / per));
    const fit = Math.min(maxCount, headroom(lim.instances, used.instances, 1), headroom(lim.cores, used.cores, vcpus), headroom(lim.ram, used.ram, ram));
    if (fit >= minCount) return fit;
    // Nova names every resource the minimum request would exceed, in sorted order.
    const want: Record<'cores' | 'instances' | 'ram', number> = { cores: vcpus * minCount, instances: minCount, ram: ram * minCount };
    const inUse = { cores: used.cores, instances: used.instances, ram: used.ram };
    const overs = (['cores', 'instances', 'ram'] as const).filter((r) => lim[r] >= 0 && inUse[r] + want[r] > lim[r]);
    const list = overs.length ? overs : (['instances'] as const);
    throw overQuota(
      `Quota exceeded for ${list.join(', ')}: Requested ${list.map((r) => want[r]).join(', ')}, but already used ${list.map((r) => inUse[r]).join(', ')} of ${list.map((r) => lim[r]).join(', ')} ${list.join(', ')}`,
      // The numbers let a UI explain the refusal in words ("may run 10 instances and has 10").
      { overs: list, requested: want, used: inUse, limits: { cores: lim.cores, instances: lim.instances, ram: lim.ram } },
    );
  }
}
