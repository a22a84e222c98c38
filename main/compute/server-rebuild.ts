// POST /servers/{id}/action {"rebuild": …} semantics (nova/compute/api.py rebuild): the checks in
// Nova's order, then the new image, name, metadata, key, user data and hostname written with
// task_state rebuilding in one transaction (status REBUILD at once), then the rebuild task.
import type { RequestContext } from '../core/context';
import { badRequest, conflict } from '../core/errors';
import type { KeySpec } from '../drivers/types';
import type { ComputeCore } from './compute-deps';
import { keyDataOf } from './instance-spec';
import { startRebuild } from './rebuild-task';
import { newAdminPass } from './server-create';
import { bootImage, checkImageFits, checkMetadataQuota, checkUserData, keyOf } from './server-create-plan';
import { checkLocked } from './server-ops';
import type { ServerPatch } from './server-store';
import { updatePatch } from './server-update';
import { checkInstanceState, TASK } from './states';
import type { EmbeddedFlavor, ServerUpdate, ServerView } from './types';

/** The new image, and what else the server's update could change (name, description 2.19, hostname 2.90, access IPs, disk config). */
export interface RebuildServerInput extends ServerUpdate {
  /** The image's UUID (Nova takes no href here). */
  imageRef: string;
  /** The guest's new admin password; one is generated when absent. */
  adminPass?: string;
  /** Replaces all of the server's metadata. */
  metadata?: Record<string, string>;
  preserveEphemeral?: boolean;
  /** 2.54: a key pair of the caller's, or null to remove the server's. */
  keyName?: string | null;
  /** 2.57: base64 user data, or null to remove it. */
  userData?: string | null;
  /** 2.63: null (unset) is all DeskStack can honour. */
  trustedImageCertificates?: string[] | null;
}

export interface RebuildServerResult {
  server: ServerView;
  adminPass: string;
}

export function rebuildServer(core: ComputeCore, ctx: RequestContext, id: string, input: RebuildServerInput): RebuildServerResult {
  const row = core.servers.visibleRow(ctx, id);
  checkLocked(ctx, row);
  checkInstanceState('rebuild', 'rebuild', id, row.vm_state, row.task_state);
  // A server whose build failed (or whose host was removed) gave back its place; rebuild keeps a place, it never finds one.
  if (!row.host_id || !core.scheduler.allocationFor(id)) {
    throw conflict(`Cannot 'rebuild' instance ${id}: it holds no place on a host (its build failed, or it went missing from its host). Delete it and create it again.`);
  }
  if (input.preserveEphemeral) throw badRequest('preserve_ephemeral is not supported: DeskStack rebuilds the whole local disk of the server. Rebuild without it.');
  if (input.trustedImageCertificates) throw badRequest('trusted_image_certificates are not supported: DeskStack does not verify image signatures. Rebuild without them, or with null.');
  const key: KeySpec | null | undefined = typeof input.keyName === 'string' ? keyOf(core, ctx, input.keyName) : input.keyName;
  const image = bootImage(core, ctx, input.imageRef, 'Cannot find image for rebuild');
  checkMetadataQuota(core, row.project_id, input.metadata ?? {});
  checkImageFits(JSON.parse(row.flavor) as EmbeddedFlavor, image);
  checkUserData(input.userData ?? undefined);

  const patch: ServerPatch = { ...updatePatch(input), task_state: TASK.REBUILDING, image_id: image.id, progress: 0 };
  if (key !== undefined) Object.assign(patch, { key_name: key?.name ?? null, key_data: key ? keyDataOf(key) : null });
  if (input.userData !== undefined) patch.user_data = input.userData;
  const actionId = core.db.transaction(() => {
    core.servers.update(id, patch);
    if (input.metadata) replaceMetadata(core, id, input.metadata);
    return core.actions.start(id, 'rebuild', ctx);
  })();
  const adminPass = input.adminPass ?? newAdminPass();
  startRebuild(core, id, actionId, image, { adminPass });
  return { server: core.servers.get(ctx, id), adminPass };
}

function replaceMetadata(core: ComputeCore, id: string, items: Record<string, string>): void {
  core.db.prepare('DELETE FROM server_metadata WHERE server_id = ?').run(id);
  const insert = core.db.prepare('INSERT INTO server_metadata (server_id, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of Object.entries(items)) insert.run(id, k, v);
}
