// Nova's image proxy (deprecated, gone at 2.36; image metadata at 2.39): the image service's images
// and custom properties as Nova's /images and /images/{id}/metadata present them.
import type { RequestContext } from '../core/context';
import { DeskError, forbidden } from '../core/errors';
import type { ImageService } from '../image/image-service';
import type { ImagePatchOp, ImageView } from '../image/image-types';
import type { QuotaStore } from './quotas';

export interface ImageProxyFilter {
  name?: string;
  /** Nova's status words are Glance's, upper-cased. */
  status?: string;
  changesSince?: string;
  /** The server an image (a snapshot) was made from. */
  server?: string;
  /** Glance's image_type property ('snapshot', 'backup'). */
  type?: string;
  minRam?: number;
  minDisk?: number;
  /** property-<name>=<value> filters. */
  properties?: Record<string, string>;
  limit?: number;
  marker?: string;
}

const PAGE = 1000;

/** Nova's 404s name the image, never why it is invisible. */
function imageNotFound(e: unknown): never {
  if (e instanceof DeskError && e.code === 'NotFound') throw new DeskError('NotFound', 'Image not found.');
  throw e;
}

/** JSON Pointer escaping of a property name in a patch path. */
const pointer = (key: string): string => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

export class ImageProxy {
  constructor(
    private readonly images: ImageService,
    private readonly quotas: QuotaStore,
  ) {}

  list(ctx: RequestContext, f: ImageProxyFilter): ImageView[] {
    const properties = { ...(f.properties ?? {}), ...(f.server ? { instance_uuid: f.server } : {}), ...(f.type ? { image_type: f.type } : {}) };
    const all: ImageView[] = [];
    // Every page of the image service's own listing, so the filters it lacks apply before Nova's paging.
    for (let marker: string | undefined; ; ) {
      const page = this.images.list(ctx, {
        limit: PAGE,
        ...(marker ? { marker } : {}),
        ...(f.name !== undefined ? { name: f.name } : {}),
        ...(f.status !== undefined ? { status: f.status.toLowerCase() } : {}),
        ...(Object.keys(properties).length ? { properties } : {}),
      });
      all.push(...page.images);
      if (!page.nextMarker) break;
      marker = page.nextMarker;
    }
    let out = all.filter(
      (i) => (f.changesSince === undefined || i.updated_at >= f.changesSince) && (f.minRam === undefined || i.min_ram >= f.minRam) && (f.minDisk === undefined || i.min_disk >= f.minDisk),
    );
    if (f.marker !== undefined) {
      const at = out.findIndex((i) => i.id === f.marker);
      if (at < 0) throw new DeskError('BadRequest', `marker [${f.marker}] not found`);
      out = out.slice(at + 1);
    }
    return f.limit !== undefined ? out.slice(0, f.limit) : out;
  }

  get(ctx: RequestContext, id: string): ImageView {
    try {
      return this.images.get(ctx, id);
    } catch (e) {
      imageNotFound(e);
    }
  }

  delete(ctx: RequestContext, id: string): void {
    this.get(ctx, id);
    try {
      this.images.delete(ctx, id);
    } catch (e) {
      if (e instanceof DeskError && e.code === 'Forbidden') throw forbidden('You are not allowed to delete the image.');
      throw e;
    }
  }

  metadata(ctx: RequestContext, id: string): Record<string, string> {
    return this.get(ctx, id).properties;
  }

  metadataItem(ctx: RequestContext, id: string, key: string): string {
    const value = this.metadata(ctx, id)[key];
    if (value === undefined) throw new DeskError('NotFound', 'The resource could not be found.');
    return value;
  }

  /** Merges `items` into the image's properties, or (replace) makes them the whole set; the result. */
  setMetadata(ctx: RequestContext, id: string, items: Record<string, string>, replace: boolean): Record<string, string> {
    const current = this.metadata(ctx, id);
    const next = replace ? { ...items } : { ...current, ...items };
    const limit = this.quotas.limit(ctx.projectId, 'metadata_items');
    if (limit >= 0 && Object.keys(next).length > limit) throw forbidden('Image metadata limit exceeded');
    const ops: ImagePatchOp[] = [
      ...Object.keys(current)
        .filter((k) => !(k in next))
        .map((k): ImagePatchOp => ({ op: 'remove', path: pointer(k) })),
      ...Object.entries(next)
        .filter(([k, v]) => current[k] !== v)
        .map(([k, v]): ImagePatchOp => ({ op: k in current ? 'replace' : 'add', path: pointer(k), value: v })),
    ];
    return this.patch(ctx, id, ops).properties;
  }

  deleteMetadataItem(ctx: RequestContext, id: string, key: string): void {
    if (!(key in this.metadata(ctx, id))) throw new DeskError('NotFound', 'Invalid metadata key');
    this.patch(ctx, id, [{ op: 'remove', path: pointer(key) }]);
  }

  private patch(ctx: RequestContext, id: string, ops: ImagePatchOp[]): ImageView {
    return ops.length ? this.images.update(ctx, id, ops) : this.get(ctx, id);
  }
}
