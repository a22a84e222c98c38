// Server tags (Nova 2.26): a set of short strings per server, changed only while the server is in a
// stable state, filtered on in lists (server-store) and set at create (2.52).
import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { badRequest, conflict, DeskError } from '../core/errors';
import type { EventBus } from '../core/events';
import type { ServerStore } from './server-store';
import { VM } from './states';

export const MAX_TAG_COUNT = 50;
export const MAX_TAG_LENGTH = 60;

const TAGGABLE = new Set<string>([VM.ACTIVE, VM.PAUSED, VM.SUSPENDED, VM.STOPPED]);

export class ServerTags {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly servers: ServerStore,
  ) {}

  list(ctx: RequestContext, serverId: string): string[] {
    this.servers.visibleRow(ctx, serverId);
    return this.tagsOf(serverId);
  }

  has(ctx: RequestContext, serverId: string, tag: string): boolean {
    this.servers.visibleRow(ctx, serverId);
    return this.db.prepare('SELECT 1 FROM server_tags WHERE server_id = ? AND tag = ?').get(serverId, tag) !== undefined;
  }

  /** Replaces every tag (duplicates collapse); the new set, sorted. */
  replace(ctx: RequestContext, serverId: string, tags: string[]): string[] {
    const projectId = this.changeable(ctx, serverId, 'update tags');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM server_tags WHERE server_id = ?').run(serverId);
      const insert = this.db.prepare('INSERT OR IGNORE INTO server_tags (server_id, tag) VALUES (?, ?)');
      for (const t of tags) insert.run(serverId, t);
    })();
    this.bus.resource('server', serverId, projectId, 'updated');
    return this.tagsOf(serverId);
  }

  /** Adds one tag; false when the server had it already. */
  add(ctx: RequestContext, serverId: string, tag: string): boolean {
    const projectId = this.changeable(ctx, serverId, 'update tag');
    if (tag.length < 1 || tag.length > MAX_TAG_LENGTH || /[,/]/.test(tag)) {
      const why = tag.length < 1 ? `'' is too short` : tag.length > MAX_TAG_LENGTH ? `'${tag}' is too long` : `'${tag}' does not match '^[^,/]*$'`;
      throw badRequest(`Tag '${tag}' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: ${why}`);
    }
    const added = this.db.transaction(() => {
      const tags = this.tagsOf(serverId);
      if (tags.length >= MAX_TAG_COUNT) throw badRequest(`The number of tags exceeded the per-server limit ${MAX_TAG_COUNT}`);
      if (tags.includes(tag)) return false;
      this.db.prepare('INSERT INTO server_tags (server_id, tag) VALUES (?, ?)').run(serverId, tag);
      return true;
    })();
    if (added) this.bus.resource('server', serverId, projectId, 'updated');
    return added;
  }

  remove(ctx: RequestContext, serverId: string, tag: string): void {
    const projectId = this.changeable(ctx, serverId, 'delete tag');
    const res = this.db.prepare('DELETE FROM server_tags WHERE server_id = ? AND tag = ?').run(serverId, tag);
    if (res.changes === 0) throw new DeskError('NotFound', `Instance ${serverId} has no tag '${tag}'`);
    this.bus.resource('server', serverId, projectId, 'updated');
  }

  removeAll(ctx: RequestContext, serverId: string): void {
    const projectId = this.changeable(ctx, serverId, 'delete tags');
    this.db.prepare('DELETE FROM server_tags WHERE server_id = ?').run(serverId);
    this.bus.resource('server', serverId, projectId, 'updated');
  }

  private tagsOf(serverId: string): string[] {
    return this.db.prepare('SELECT tag FROM server_tags WHERE server_id = ? ORDER BY tag').pluck().all(serverId) as string[];
  }

  /** Nova changes tags only in a stable state; 409 otherwise. Returns the server's project. */
  private changeable(ctx: RequestContext, serverId: string, action: string): string {
    const row = this.servers.visibleRow(ctx, serverId);
    if (!TAGGABLE.has(row.vm_state)) throw conflict(`Cannot '${action}' instance ${serverId} while it is in vm_state ${row.vm_state}`);
    return row.project_id;
  }
}
