// servers/{id}/metadata: Nova's replace-all, merge, set-one and delete-one, under the metadata_items quota.
import type { RequestContext } from '../core/context';
import { conflict, DeskError, overQuota } from '../core/errors';
import type { ComputeCore } from './compute-deps';
import { VM } from './states';

function checkWritable(core: ComputeCore, ctx: RequestContext, id: string, action: string): void {
  const row = core.servers.visibleRow(ctx, id);
  if (row.locked === 1 && !ctx.isAdmin) throw conflict(`Instance ${id} is locked`);
  // Nova allows metadata changes in these vm_states only.
  const ok: string[] = [VM.ACTIVE, VM.BUILDING, VM.PAUSED, VM.SUSPENDED, VM.STOPPED, 'shelved', 'shelved_offloaded', 'resized', 'rescued'];
  if (!ok.includes(row.vm_state)) throw conflict(`Cannot '${action}' instance ${id} while it is in vm_state ${row.vm_state}`);
}

export function getMetadata(core: ComputeCore, ctx: RequestContext, id: string): Record<string, string> {
  core.servers.visibleRow(ctx, id);
  return core.servers.metadata(id);
}

export function getMetadataItem(core: ComputeCore, ctx: RequestContext, id: string, key: string): string {
  const md = getMetadata(core, ctx, id);
  if (!(key in md)) throw new DeskError('NotFound', 'Metadata item was not found');
  return md[key];
}

/** replace=true drops keys not given (PUT /metadata); false merges (POST /metadata, PUT /metadata/{key}). */
export function setMetadata(core: ComputeCore, ctx: RequestContext, id: string, items: Record<string, string>, replace: boolean): Record<string, string> {
  checkWritable(core, ctx, id, replace ? 'update_all_metadata' : 'update_metadata');
  const limit = core.quotas.limit(core.servers.row(id)!.project_id, 'metadata_items');
  core.db.transaction(() => {
    if (replace) core.db.prepare('DELETE FROM server_metadata WHERE server_id = ?').run(id);
    const upsert = core.db.prepare('INSERT INTO server_metadata (server_id, key, value) VALUES (?, ?, ?) ON CONFLICT (server_id, key) DO UPDATE SET value = excluded.value');
    for (const [k, v] of Object.entries(items)) upsert.run(id, k, v);
    const n = core.db.prepare('SELECT COUNT(*) FROM server_metadata WHERE server_id = ?').pluck().get(id) as number;
    if (limit >= 0 && n > limit) throw overQuota(`Quota exceeded for metadata_items: Requested ${n}, but already used 0 of ${limit} metadata_items`);
  })();
  core.bus.resource('server', id, core.servers.row(id)!.project_id, 'updated');
  return core.servers.metadata(id);
}

export function deleteMetadataItem(core: ComputeCore, ctx: RequestContext, id: string, key: string): void {
  checkWritable(core, ctx, id, 'delete_metadata');
  const res = core.db.prepare('DELETE FROM server_metadata WHERE server_id = ? AND key = ?').run(id, key);
  if (res.changes === 0) throw new DeskError('NotFound', 'Metadata item was not found');
  core.bus.resource('server', id, core.servers.row(id)!.project_id, 'updated');
}
