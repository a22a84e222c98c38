// Rows of the servers table as ServerViews; list queries page with limit/marker and fetch
// metadata and host names for a whole page at once (no N+1).
import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { badRequest, DeskError } from '../core/errors';
import type { EventBus } from '../core/events';
import { nowIso } from '../core/ids';
import { hostnameFor } from './hostname';
import { compileNamePattern, type NamePattern } from './name-pattern';
import { statusOf, taskStatesForStatus, vmStatesForStatus } from './states';
import type { EmbeddedFlavor, FixedAddress, ServerFault, ServerListFilter, ServerView } from './types';

export interface ServerRow {
  rowid: number;
  id: string;
  project_id: string;
  user_id: string;
  name: string;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  host_id: string | null;
  flavor_id: string;
  flavor: string;
  image_id: string;
  key_name: string | null;
  user_data: string | null;
  networks: string;
  addresses: string;
  availability_zone: string | null;
  server_group_id: string | null;
  reservation_id: string;
  launch_index: number;
  config_drive: string;
  description: string | null;
  fault: string | null;
  progress: number;
  locked: number;
  created_at: string;
  updated_at: string;
  launched_at: string | null;
  terminated_at: string | null;
  deleted: number;
  hostname: string | null;
  requested_host: string | null;
  access_ipv4: string;
  access_ipv6: string;
  security_groups: string;
  password: string;
  disk_config: string;
  /** JSON KeySpec of the key pair the server was given; null for none, or for rows older than it (looked up by key_name then). */
  key_data: string | null;
}

/** Fields a state change may set. */
export interface ServerPatch {
  vm_state?: string;
  task_state?: string | null;
  power_state?: number;
  host_id?: string | null;
  addresses?: string;
  availability_zone?: string | null;
  fault?: string | null;
  progress?: number;
  launched_at?: string | null;
  terminated_at?: string | null;
  deleted?: number;
  name?: string;
  description?: string | null;
  locked?: number;
  hostname?: string;
  access_ipv4?: string;
  access_ipv6?: string;
  security_groups?: string;
  password?: string;
  disk_config?: string;
  image_id?: string;
  key_name?: string | null;
  key_data?: string | null;
  user_data?: string | null;
}

export const MAX_LIST_LIMIT = 1000;

export class ServerStore {
  private readonly patterns = new Map<string, NamePattern>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    /** The host's name, and whether it stopped answering (its servers' state is then unknown). */
    private readonly hostInfo: (hostId: string) => { name: string; unreachable: boolean } | null,
  ) {
    db.function('deskstack_name_matches', { deterministic: true }, (pattern: unknown, name: unknown) => (this.patternFor(String(pattern)).test(String(name)) ? 1 : 0));
  }

  /** A compiled name filter (400 for what it cannot match), from a small cache. */
  private patternFor(pattern: string): NamePattern {
    let p = this.patterns.get(pattern);
    if (!p) {
      p = compileNamePattern(pattern);
      if (this.patterns.size >= 64) this.patterns.delete(this.patterns.keys().next().value!);
      this.patterns.set(pattern, p);
    }
    return p;
  }

  row(id: string): ServerRow | undefined {
    return this.db.prepare('SELECT rowid, * FROM servers WHERE id = ?').get(id) as ServerRow | undefined;
  }

  /** The live server as the caller may see it; another project's server (or a deleted one) is 404. */
  visibleRow(ctx: RequestContext, id: string): ServerRow {
    const r = this.row(id);
    if (!r || r.deleted === 1 || (r.project_id !== ctx.projectId && !ctx.isAdmin)) {
      throw new DeskError('NotFound', `Instance ${id} could not be found.`, { kind: 'server', id });
    }
    return r;
  }

  get(ctx: RequestContext, id: string): ServerView {
    return this.views([this.visibleRow(ctx, id)])[0];
  }

  /** Applies a patch and announces it to the UI. */
  update(id: string, patch: ServerPatch, action: 'updated' | 'deleted' = 'updated'): void {
    const keys = Object.keys(patch) as Array<keyof ServerPatch>;
    if (!keys.length) return;
    const sets = keys.map((k) => `${k} = @${k}`).join(', ');
    const res = this.db.prepare(`UPDATE servers SET ${sets}, updated_at = @now WHERE id = @id`).run({ ...patch, now: nowIso(), id });
    if (res.changes === 0) return;
    const projectId = this.db.prepare('SELECT project_id FROM servers WHERE id = ?').pluck().get(id) as string | undefined;
    this.bus.resource('server', id, projectId ?? null, action);
  }

  /**
   * Applies a patch only while the row still matches `expect` (and is not deleted); false when
   * another operation changed it first, so a slow task never overwrites a newer state.
   */
  updateIf(id: string, expect: { task_state?: string | null; host_id?: string | null }, patch: ServerPatch): boolean {
    const keys = Object.keys(patch) as Array<keyof ServerPatch>;
    const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @now'].join(', ');
    const conds = ['id = @id', 'deleted = 0'];
    const args: Record<string, unknown> = { ...patch, now: nowIso(), id };
    for (const [k, v] of Object.entries(expect) as Array<[string, string | null]>) {
      conds.push(v === null ? `${k} IS NULL` : `${k} = @expect_${k}`);
      if (v !== null) args[`expect_${k}`] = v;
    }
    const res = this.db.prepare(`UPDATE servers SET ${sets} WHERE ${conds.join(' AND ')}`).run(args);
    if (res.changes === 0) return false;
    const projectId = this.db.prepare('SELECT project_id FROM servers WHERE id = ?').pluck().get(id) as string | undefined;
    this.bus.resource('server', id, projectId ?? null, 'updated');
    return true;
  }

  setFault(id: string, code: number, message: string, details = '', publicMessage?: string): void {
    const fault: ServerFault = { code, message, details, created: nowIso(), ...(publicMessage ? { publicMessage } : {}) };
    this.update(id, { fault: JSON.stringify(fault) });
  }

  metadata(id: string): Record<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM server_metadata WHERE server_id = ? ORDER BY key').all(id) as Array<{ key: string; value: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  list(ctx: RequestContext, f: ServerListFilter): ServerView[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (!(f.allTenants && ctx.isAdmin)) {
      where.push('project_id = @project');
      args.project = ctx.projectId;
    } else if (f.projectId) {
      where.push('project_id = @project');
      args.project = f.projectId;
    }
    // The marker is looked up with the list's own project scope, so it never reveals another project's server.
    const scope = where.length ? ' AND project_id = @project' : '';
    if (!(f.includeDeleted && ctx.isAdmin) && !f.changesSince) where.push('deleted = 0');
    if (f.changesSince) {
      where.push('updated_at >= @since');
      args.since = f.changesSince;
    }
    if (f.status) {
      const states = vmStatesForStatus(f.status);
      if (!states.length) return [];
      where.push(`vm_state IN (${states.map((_, i) => `@st${i}`).join(',')})`);
      states.forEach((s, i) => (args[`st${i}`] = s));
      const tasks = taskStatesForStatus(f.status);
      if (tasks) {
        where.push(`task_state IN (${tasks.map((_, i) => `@tk${i}`).join(',')})`);
        tasks.forEach((t, i) => (args[`tk${i}`] = t));
      }
    }
    if (f.flavorId) {
      where.push('flavor_id = @flavor');
      args.flavor = f.flavorId;
    }
    if (f.imageId) {
      where.push('image_id = @image');
      args.image = f.imageId;
    }
    if (f.ip) {
      where.push('instr(addresses, @ip) > 0');
      args.ip = f.ip;
    }
    if (f.hostId !== undefined) {
      where.push('host_id = @hostId');
      args.hostId = f.hostId;
    }
    tagFilters(f, where, args);
    if (f.name) {
      // Nova treats name as a regular expression searched anywhere in the name; ours runs in linear time.
      this.patternFor(f.name);
      where.push('deskstack_name_matches(@name, name)');
      args.name = f.name;
    }
    const dir = f.sortDir === 'asc' ? 'ASC' : 'DESC';
    if (f.marker !== undefined) {
      const m = this.db.prepare(`SELECT created_at, id FROM servers WHERE id = @marker${scope}`).get({ marker: f.marker, ...(scope ? { project: args.project } : {}) }) as
        | { created_at: string; id: string }
        | undefined;
      if (!m) throw badRequest(`marker [${f.marker}] not found`);
      where.push(`(created_at, id) ${dir === 'DESC' ? '<' : '>'} (@mCreated, @mId)`);
      args.mCreated = m.created_at;
      args.mId = m.id;
    }
    const limit = Math.min(f.limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT);
    const sql = `SELECT rowid, * FROM servers ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at ${dir}, id ${dir} LIMIT ${limit}`;
    return this.views(this.db.prepare(sql).all(args) as ServerRow[]);
  }

  /** Turns rows into views with one metadata and one tags query per 500 rows. */
  views(rows: ServerRow[]): ServerView[] {
    const meta = new Map<string, Record<string, string>>();
    const tags = new Map<string, string[]>();
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const marks = chunk.map(() => '?').join(',');
      const ids = chunk.map((r) => r.id);
      const list = this.db.prepare(`SELECT server_id, key, value FROM server_metadata WHERE server_id IN (${marks}) ORDER BY key`).all(...ids) as Array<{
        server_id: string;
        key: string;
        value: string;
      }>;
      for (const m of list) {
        let o = meta.get(m.server_id);
        if (!o) meta.set(m.server_id, (o = {}));
        o[m.key] = m.value;
      }
      const tagRows = this.db.prepare(`SELECT server_id, tag FROM server_tags WHERE server_id IN (${marks}) ORDER BY tag`).all(...ids) as Array<{ server_id: string; tag: string }>;
      for (const t of tagRows) tags.set(t.server_id, [...(tags.get(t.server_id) ?? []), t.tag]);
    }
    const hosts = new Map<string, { name: string; unreachable: boolean } | null>();
    return rows.map((r) => {
      let host: { name: string; unreachable: boolean } | null = null;
      if (r.host_id) {
        if (!hosts.has(r.host_id)) hosts.set(r.host_id, this.hostInfo(r.host_id));
        host = hosts.get(r.host_id) ?? null;
      }
      return toView(r, meta.get(r.id) ?? {}, tags.get(r.id) ?? [], host);
    });
  }
}

// Like Nova with host_status UNKNOWN: while the host does not answer, nobody knows the server's real state.
const statusFor = (r: ServerRow, host: { unreachable: boolean } | null): string =>
  r.deleted ? 'DELETED' : host?.unreachable ? 'UNKNOWN' : statusOf(r.vm_state, r.task_state);

function toView(r: ServerRow, metadata: Record<string, string>, tags: string[], host: { name: string; unreachable: boolean } | null): ServerView {
  return {
    id: r.id,
    internalId: r.rowid,
    projectId: r.project_id,
    userId: r.user_id,
    name: r.name,
    status: statusFor(r, host),
    vmState: r.vm_state,
    taskState: r.task_state,
    powerState: r.power_state,
    hostId: r.host_id,
    hostName: host?.name ?? null,
    flavorId: r.flavor_id,
    flavor: JSON.parse(r.flavor) as EmbeddedFlavor,
    imageId: r.image_id,
    keyName: r.key_name,
    userData: r.user_data,
    networks: JSON.parse(r.networks) as Array<{ id: string; name: string }>,
    addresses: JSON.parse(r.addresses) as FixedAddress[],
    availabilityZone: r.availability_zone,
    serverGroupId: r.server_group_id,
    reservationId: r.reservation_id,
    launchIndex: r.launch_index,
    configDrive: r.config_drive,
    description: r.description,
    fault: r.fault ? (JSON.parse(r.fault) as ServerFault) : null,
    progress: r.progress,
    locked: r.locked === 1,
    metadata,
    tags,
    hostname: r.hostname ?? hostnameFor(r.name),
    accessIPv4: r.access_ipv4,
    accessIPv6: r.access_ipv6,
    securityGroups: JSON.parse(r.security_groups) as string[],
    diskConfig: r.disk_config === 'AUTO' ? 'AUTO' : 'MANUAL',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    launchedAt: r.launched_at,
    terminatedAt: r.terminated_at,
    deleted: r.deleted === 1,
  };
}

/** Nova's tag filters: tags (all of), tags-any, not-tags (not all of), not-tags-any (none of). */
function tagFilters(f: ServerListFilter, where: string[], args: Record<string, unknown>): void {
  const clause = (key: string, tags: string[]): { inList: string; count: string } => {
    const names = tags.map((t, i) => {
      args[`${key}${i}`] = t;
      return `@${key}${i}`;
    });
    const inList = `SELECT 1 FROM server_tags t WHERE t.server_id = servers.id AND t.tag IN (${names.join(',')})`;
    return { inList, count: `(SELECT COUNT(DISTINCT t.tag) FROM server_tags t WHERE t.server_id = servers.id AND t.tag IN (${names.join(',')})) = ${new Set(tags).size}` };
  };
  if (f.tags?.length) where.push(clause('tagAll', f.tags).count);
  if (f.tagsAny?.length) where.push(`EXISTS (${clause('tagAny', f.tagsAny).inList})`);
  if (f.notTags?.length) where.push(`NOT ${clause('notTagAll', f.notTags).count}`);
  if (f.notTagsAny?.length) where.push(`NOT EXISTS (${clause('notTagAny', f.notTagsAny).inList})`);
}
