import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { DeskError, forbidden } from '../core/errors';
import type { ImageRow } from './image-row';
import type { MemberStatus } from './image-types';

export const imageNotFound = (id: string) => new DeskError('NotFound', `No image found with ID ${id.slice(0, 255)}`, { kind: 'image', id: id.slice(0, 255) });

/**
 * Who may see and change an image, as Glance's default policy says: admins everything; a project its
 * own images, public and community ones, and `shared` images it is a member of (in any member status).
 */
export class ImageAccess {
  constructor(private readonly db: Db) {}

  row(id: string): ImageRow | undefined {
    return this.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
  }

  /** The project's membership status on the image, or undefined when it is not a member. */
  memberStatus(imageId: string, projectId: string): MemberStatus | undefined {
    return this.db.prepare('SELECT status FROM image_members WHERE image_id = ? AND member_id = ?').pluck().get(imageId, projectId) as MemberStatus | undefined;
  }

  canSee(ctx: RequestContext, r: ImageRow): boolean {
    if (ctx.isAdmin || r.visibility === 'public' || r.visibility === 'community' || r.owner === ctx.projectId) return true;
    return r.visibility === 'shared' && this.memberStatus(r.id, ctx.projectId) !== undefined;
  }

  /** The image row; NotFound (never Forbidden) when it does not exist or the caller may not see it. */
  visibleRow(ctx: RequestContext, id: string): ImageRow {
    const r = this.row(id);
    if (!r || !this.canSee(ctx, r)) throw imageNotFound(id);
    return r;
  }

  /** Only the owner project (or an admin) changes an image. */
  checkModify(ctx: RequestContext, r: ImageRow): void {
    if (!ctx.isAdmin && r.owner !== ctx.projectId) throw forbidden(`You are not authorized to modify image ${r.id}: it belongs to another project.`);
  }
}
