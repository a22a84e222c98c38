import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { DeskError, badRequest, conflict, forbidden } from '../core/errors';
import type { EventBus } from '../core/events';
import { isoSeconds, nowIso } from '../core/ids';
import type { ImageAccess } from './image-access';
import type { ImageRow } from './image-row';
import { MEMBER_STATUSES, type ImageMemberView, type MemberStatus } from './image-types';

/** Glance's image_member_quota. */
export const MAX_MEMBERS = 128;

interface MemberRow {
  image_id: string;
  member_id: string;
  status: MemberStatus;
  created_at: string;
  updated_at: string;
}

const toView = (m: MemberRow): ImageMemberView => ({
  image_id: m.image_id,
  member_id: m.member_id,
  status: m.status,
  created_at: isoSeconds(m.created_at),
  updated_at: isoSeconds(m.updated_at),
  schema: '/v2/schemas/member',
});

const memberNotFound = (imageId: string, memberId: string) =>
  new DeskError('NotFound', `Member ${memberId.slice(0, 255)} not found for image ${imageId}.`, { kind: 'image_member', id: memberId.slice(0, 255) });

/**
 * Glance's image sharing: the owner of a `shared` image adds projects as members (pending); each
 * member accepts or rejects it for itself; an accepted image shows in the member's default list.
 */
export class ImageMemberService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly access: ImageAccess,
  ) {}

  /** Shares the image with project `memberId` (status pending). Owner or admin; 409 when already a member. */
  create(ctx: RequestContext, imageId: string, memberId: string): ImageMemberView {
    const image = this.sharedImage(ctx, imageId);
    if (!ctx.isAdmin && image.owner !== ctx.projectId) throw forbidden(`You are not permitted to create image members for image ${imageId}: only its owner can share it.`);
    if (memberId.length === 0 || memberId.length > 255) throw badRequest('Invalid member: a project id of 1 to 255 characters.');
    if (this.access.memberStatus(imageId, memberId) !== undefined) throw conflict(`Member ${memberId} already exists for image ${imageId}.`);
    const count = this.db.prepare('SELECT count(*) FROM image_members WHERE image_id = ?').pluck().get(imageId) as number;
    if (count >= MAX_MEMBERS) throw new DeskError('PayloadTooLarge', `Maximum number of image members exceeded: an image can have at most ${MAX_MEMBERS} members.`);
    const now = nowIso();
    this.db.prepare("INSERT INTO image_members (image_id, member_id, status, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?)").run(imageId, memberId, now, now);
    this.changed(image, memberId);
    return this.view(imageId, memberId);
  }

  /** The owner (or an admin) sees every member; a member sees only its own membership. */
  list(ctx: RequestContext, imageId: string): ImageMemberView[] {
    const image = this.sharedImage(ctx, imageId);
    const rows = (ctx.isAdmin || image.owner === ctx.projectId
      ? this.db.prepare('SELECT * FROM image_members WHERE image_id = ? ORDER BY created_at, member_id').all(imageId)
      : this.db.prepare('SELECT * FROM image_members WHERE image_id = ? AND member_id = ?').all(imageId, ctx.projectId)) as MemberRow[];
    return rows.map(toView);
  }

  /** One membership, for the owner, an admin or that member; NotFound for anyone else. */
  get(ctx: RequestContext, imageId: string, memberId: string): ImageMemberView {
    const image = this.sharedImage(ctx, imageId);
    if (!ctx.isAdmin && image.owner !== ctx.projectId && memberId !== ctx.projectId) throw memberNotFound(imageId, memberId);
    return this.view(imageId, memberId);
  }

  /** Accepts, rejects or resets a membership; only the member itself (or an admin) may. */
  update(ctx: RequestContext, imageId: string, memberId: string, status: string): ImageMemberView {
    const image = this.sharedImage(ctx, imageId);
    if (!ctx.isAdmin && memberId !== ctx.projectId)
      throw forbidden(`You are not permitted to modify 'status' on this image member: only project ${memberId.slice(0, 255)} can accept or reject the image.`);
    if (!(MEMBER_STATUSES as readonly string[]).includes(status)) throw badRequest(`Invalid status ${status.slice(0, 50)}: it must be one of ${MEMBER_STATUSES.join(', ')}.`);
    const res = this.db.prepare('UPDATE image_members SET status = ?, updated_at = ? WHERE image_id = ? AND member_id = ?').run(status, nowIso(), imageId, memberId);
    if (res.changes !== 1) throw memberNotFound(imageId, memberId);
    this.changed(image, memberId);
    return this.view(imageId, memberId);
  }

  /** Stops sharing the image with `memberId`; owner or admin only. */
  delete(ctx: RequestContext, imageId: string, memberId: string): void {
    const image = this.sharedImage(ctx, imageId);
    if (!ctx.isAdmin && image.owner !== ctx.projectId) throw forbidden(`You are not permitted to delete image members of image ${imageId}: only its owner can.`);
    const res = this.db.prepare('DELETE FROM image_members WHERE image_id = ? AND member_id = ?').run(imageId, memberId);
    if (res.changes !== 1) throw memberNotFound(imageId, memberId);
    this.changed(image, memberId);
  }

  /** A visible image whose visibility is `shared`: Glance refuses member calls on any other with 403. */
  private sharedImage(ctx: RequestContext, imageId: string): ImageRow {
    const image = this.access.visibleRow(ctx, imageId);
    if (image.visibility !== 'shared') throw forbidden(`Only shared images have members: image ${imageId} is ${image.visibility}.`);
    return image;
  }

  private view(imageId: string, memberId: string): ImageMemberView {
    const row = this.db.prepare('SELECT * FROM image_members WHERE image_id = ? AND member_id = ?').get(imageId, memberId) as MemberRow | undefined;
    if (!row) throw memberNotFound(imageId, memberId);
    return toView(row);
  }

  /** Both the owner's and the member's image lists change. */
  private changed(image: ImageRow, memberId: string): void {
    this.bus.resource('image', image.id, image.owner, 'updated');
    if (memberId !== image.owner) this.bus.resource('image', image.id, memberId, 'updated');
  }
}
