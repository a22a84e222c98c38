import { createReadStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Config } from '../core/config';
import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { DeskError, badRequest, conflict, forbidden } from '../core/errors';
import type { EventBus } from '../core/events';
import { newUuid, nowIso } from '../core/ids';
import { compareRows, DEFAULT_LIMIT, matchesExtra, MAX_LIMIT, sortSpecs, whereFor } from './image-list';
import { applyImagePatch, assertSettable, setCore, validProperty, validTags, type ImageDraft } from './image-patch';
import { inspectDisk } from './disk-format';
import { ImageAccess, imageNotFound } from './image-access';
import { ImageMemberService } from './image-members';
import { MetadefService } from './metadefs/metadef-service';
import { readProps, rowToView, writeProps, type ImageRow } from './image-row';
import { storeStream } from './image-store';
import {
  LIMITS,
  WRITABLE_ATTRS,
  type BootImage,
  type ContainerFormat,
  type DiskFormat,
  type ImageCreateFields,
  type ImageData,
  type ImageListFilters,
  type ImageListPage,
  type ImagePatchOp,
  type ImageView,
  type UploadOptions,
} from './image-types';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SeedImageSpec {
  name: string;
  bytes: Buffer;
  diskFormat: DiskFormat;
  containerFormat: ContainerFormat;
  visibility: 'public';
  ownerProjectId: string;
  properties?: Record<string, string>;
  minDisk?: number;
  minRam?: number;
}

/**
 * Glance v2 semantics over the `images` table and `<dataDir>/images/`: visibility scoping,
 * json-patch updates, tags, and streamed, checksummed uploads (queued → saving → active).
 */
export class ImageService {
  private readonly dir: string;
  private readonly access: ImageAccess;
  /** Sharing an image with other projects (Glance's /v2/images/{id}/members). */
  readonly members: ImageMemberService;
  /** Glance's metadata definitions catalog (/v2/metadefs). */
  readonly metadefs: MetadefService;
  /** Uploads in flight, so delete can cancel them. */
  private readonly uploads = new Map<string, AbortController>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly config: Config,
  ) {
    this.dir = join(config.dataDir, 'images');
    this.access = new ImageAccess(db);
    this.members = new ImageMemberService(db, bus, this.access);
    this.metadefs = new MetadefService(db);
    mkdirSync(this.dir, { recursive: true });
    this.recoverInterruptedUploads();
  }

  /** An upload cut off by a crash leaves a `.part` file and a `saving` row: Glance's answer is queued again. */
  private recoverInterruptedUploads(): void {
    const stuck = this.db.prepare("SELECT id FROM images WHERE status = 'saving'").pluck().all() as string[];
    this.db.prepare("UPDATE images SET status = 'queued', updated_at = ? WHERE status = 'saving'").run(nowIso());
    for (const f of readdirSync(this.dir)) if (f.endsWith('.part')) rmSync(join(this.dir, f), { force: true });
    if (stuck.length) for (const id of stuck) rmSync(this.dataPath(id), { force: true });
  }

  /** Creates an image record (status queued, no data yet). */
  create(ctx: RequestContext, fields: ImageCreateFields): ImageView {
    const id = fields.id ?? newUuid();
    if (!UUID_RE.test(id)) throw badRequest(`Invalid image id ${id.slice(0, 100)}: it must be a UUID.`);
    if (this.access.row(id)) throw conflict(`Image with identifier ${id} already exists!`);
    const draft: ImageDraft = {
      name: null,
      visibility: 'shared',
      protected: false,
      os_hidden: false,
      min_disk: 0,
      min_ram: 0,
      disk_format: null,
      container_format: null,
      tags: [],
      owner: ctx.projectId,
      properties: {},
    };
    for (const key of WRITABLE_ATTRS) {
      const v = fields[key];
      if (v !== undefined) setCore(draft, key, v, 'queued');
    }
    for (const [k, v] of Object.entries(fields.properties ?? {})) {
      assertSettable(k);
      if ((WRITABLE_ATTRS as readonly string[]).includes(k)) throw badRequest(`'${k}' is an image attribute, not a custom property.`);
      draft.properties[k] = validProperty(k, v);
    }
    if (Object.keys(draft.properties).length > LIMITS.properties)
      throw new DeskError('PayloadTooLarge', `Maximum number of image properties exceeded: at most ${LIMITS.properties}.`);
    this.checkPolicy(ctx, null, draft);
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO images (id, owner, name, status, disk_format, container_format, visibility, protected, min_disk, min_ram, tags, properties, created_at, updated_at)
         VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, draft.owner, draft.name, draft.disk_format, draft.container_format, draft.visibility, draft.protected ? 1 : 0, draft.min_disk, draft.min_ram,
        JSON.stringify(draft.tags), writeProps({ hidden: draft.os_hidden, custom: draft.properties }), now, now);
    this.bus.resource('image', id, draft.owner, 'created');
    return this.view(id);
  }

  /** One image; NotFound when it does not exist or this project may not see it. */
  get(ctx: RequestContext, id: string): ImageView {
    return rowToView(this.access.visibleRow(ctx, id));
  }

  /** Glance's listing: visibility rules, filters, sort and marker pagination. */
  list(ctx: RequestContext, filters: ImageListFilters = {}): ImageListPage {
    const limit = Math.min(filters.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
    if (!Number.isSafeInteger(limit) || limit < 0) throw badRequest('limit param must be an integer >= 0.');
    const specs = sortSpecs(filters.sort_key, filters.sort_dir);
    const f: ImageListFilters = { ...filters, os_hidden: filters.os_hidden ?? false };
    const { sql, params } = whereFor(f, ctx);
    let rows = (this.db.prepare(`SELECT * FROM images ${sql}`).all(...params) as ImageRow[]).filter((r) => matchesExtra(r, f));
    rows.sort((a, b) => compareRows(a, b, specs));
    if (filters.marker !== undefined) {
      const marker = this.access.row(filters.marker);
      if (!marker || !this.access.canSee(ctx, marker)) throw badRequest(`Invalid marker ${filters.marker.slice(0, 100)}: no image with that id is visible.`);
      rows = rows.filter((r) => compareRows(r, marker, specs) > 0);
    }
    const page = rows.slice(0, limit);
    const full = page.length > 0 && page.length === limit;
    return { images: page.map(rowToView), ...(full ? { nextMarker: page[page.length - 1].id } : {}) };
  }

  /** Applies Glance v2.1 json-patch operations; 403 for another project's image or read-only attributes. */
  update(ctx: RequestContext, id: string, ops: ImagePatchOp[]): ImageView {
    const row = this.access.visibleRow(ctx, id);
    this.access.checkModify(ctx, row);
    const current = this.draftOf(row);
    const next = applyImagePatch(current, ops, row.status);
    this.checkPolicy(ctx, current, next);
    this.db
      .prepare(
        `UPDATE images SET name = ?, visibility = ?, protected = ?, min_disk = ?, min_ram = ?, disk_format = ?, container_format = ?, tags = ?, owner = ?, properties = ?, updated_at = ? WHERE id = ?`,
      )
      .run(next.name, next.visibility, next.protected ? 1 : 0, next.min_disk, next.min_ram, next.disk_format, next.container_format, JSON.stringify(next.tags), next.owner,
        writeProps({ hidden: next.os_hidden, custom: next.properties }), nowIso(), id);
    this.bus.resource('image', id, next.owner, 'updated');
    return this.view(id);
  }

  /** Deletes the record and its bytes (cancelling an upload in flight); 403 when protected. */
  delete(ctx: RequestContext, id: string): void {
    const row = this.access.visibleRow(ctx, id);
    this.access.checkModify(ctx, row);
    if (row.protected) throw forbidden(`Image ${id} is protected and cannot be deleted.`);
    this.uploads.get(id)?.abort(conflict(`Image ${id} was deleted during its upload.`));
    this.db.prepare('DELETE FROM images WHERE id = ?').run(id);
    rmSync(this.dataPath(id), { force: true });
    this.bus.resource('image', id, row.owner, 'deleted');
  }

  /** Adds a tag (no-op when present), as PUT /v2/images/{id}/tags/{tag}. */
  addTag(ctx: RequestContext, id: string, tag: string): void {
    const row = this.access.visibleRow(ctx, id);
    this.access.checkModify(ctx, row);
    const tags = JSON.parse(row.tags) as string[];
    if (tags.includes(tag)) return;
    this.saveTags(row, validTags([...tags, tag]));
  }

  /** Removes a tag; NotFound when the image does not carry it. */
  removeTag(ctx: RequestContext, id: string, tag: string): void {
    const row = this.access.visibleRow(ctx, id);
    this.access.checkModify(ctx, row);
    const tags = JSON.parse(row.tags) as string[];
    if (!tags.includes(tag)) throw new DeskError('NotFound', `Tag ${tag.slice(0, 255)} not found on image ${id}.`);
    this.saveTags(row, tags.filter((t) => t !== tag));
  }

  /**
   * Streams image data into `<dataDir>/images/<id>` (via `<id>.part`, hashed as it arrives, fsynced,
   * renamed when complete). Status goes queued → saving → active; on any failure or abort the partial
   * file is removed and the image returns to queued. 409 unless queued; 413 past config.maxImageBytes;
   * 400 when the bytes are not the image's disk_format or are an unsafe image (see disk-format.ts).
   */
  async upload(ctx: RequestContext, id: string, body: Readable, opts: UploadOptions = {}): Promise<ImageView> {
    const row = this.access.visibleRow(ctx, id);
    this.access.checkModify(ctx, row);
    if (!row.disk_format || !row.container_format)
      throw badRequest('Properties disk_format, container_format must be set prior to saving data.');
    if (opts.expectedSize !== undefined && opts.expectedSize > this.config.maxImageBytes)
      throw new DeskError('PayloadTooLarge', `Image data of ${opts.expectedSize} bytes exceeds the limit of ${this.config.maxImageBytes} bytes; raise maxImageBytes or upload a smaller image.`);
    const claimed = this.db.prepare("UPDATE images SET status = 'saving', updated_at = ? WHERE id = ? AND status = 'queued'").run(nowIso(), id);
    if (claimed.changes !== 1) throw conflict(`Image status transition from ${row.status} to saving is not allowed`);
    this.bus.resource('image', id, row.owner, 'updated');

    const ctl = new AbortController();
    const onAbort = () => ctl.abort(new DeskError('Conflict', `The upload of image ${id} was cancelled; upload the data again.`));
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    this.uploads.set(id, ctl);
    const finalPath = this.dataPath(id);
    const format = row.disk_format as DiskFormat;
    let virtualSize: number | null = null;
    try {
      const stored = await storeStream(body, `${finalPath}.part`, finalPath, {
        maxBytes: this.config.maxImageBytes,
        signal: ctl.signal,
        onProgress: opts.onProgress,
        expectedSize: opts.expectedSize,
        checkHead: (head) => inspectDisk(format, head, null),
        checkComplete: (data) => {
          virtualSize = inspectDisk(format, data.head, data);
        },
      });
      const done = this.db
        .prepare(
          `UPDATE images SET status = 'active', size = ?, virtual_size = ?, checksum = ?, os_hash_algo = 'sha256', os_hash_value = ?, file = ?, updated_at = ?
           WHERE id = ? AND status = 'saving'`,
        )
        .run(stored.size, virtualSize, stored.md5, stored.sha256, finalPath, nowIso(), id);
      if (done.changes !== 1) {
        rmSync(finalPath, { force: true });
        throw imageNotFound(id);
      }
      this.bus.resource('image', id, row.owner, 'updated');
      return this.view(id);
    } catch (err) {
      const back = this.db.prepare("UPDATE images SET status = 'queued', updated_at = ? WHERE id = ? AND status = 'saving'").run(nowIso(), id);
      if (back.changes === 1) this.bus.resource('image', id, row.owner, 'updated');
      throw err;
    } finally {
      this.uploads.delete(id);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The image bytes for download, or null when the image has no data yet (Glance answers 204). */
  openData(ctx: RequestContext, id: string): ImageData | null {
    const row = this.access.visibleRow(ctx, id);
    if (row.status === 'deactivated' && !ctx.isAdmin) throw forbidden('The requested image has been deactivated. Image data download is forbidden.');
    if ((row.status !== 'active' && row.status !== 'deactivated') || row.size === null || row.checksum === null) return null;
    return { stream: createReadStream(this.dataPath(id)), size: row.size, checksum: row.checksum };
  }

  /**
   * Deactivates an active image (a no-op when already deactivated): its record stays, but only
   * admins can download its data or boot from it until it is reactivated. 403 in any other status.
   */
  deactivate(ctx: RequestContext, id: string): void {
    this.setActivation(ctx, id, 'active', 'deactivated');
  }

  /** Reactivates a deactivated image (a no-op when already active); 403 in any other status. */
  reactivate(ctx: RequestContext, id: string): void {
    this.setActivation(ctx, id, 'deactivated', 'active');
  }

  private setActivation(ctx: RequestContext, id: string, from: 'active' | 'deactivated', to: 'active' | 'deactivated'): void {
    const row = this.access.visibleRow(ctx, id);
    this.access.checkModify(ctx, row);
    const verb = to === 'active' ? 'reactivate' : 'deactivate';
    if (row.status === to) return;
    if (row.status !== from) throw forbidden(`Not allowed to ${verb} image in status '${row.status}'.`);
    const res = this.db.prepare('UPDATE images SET status = ?, updated_at = ? WHERE id = ? AND status = ?').run(to, nowIso(), id, from);
    if (res.changes !== 1) throw conflict(`Image ${id} changed status while it was being ${verb}d; try again.`);
    this.bus.resource('image', id, row.owner, 'updated');
  }

  /**
   * What compute needs to boot from image `id`: NotFound if missing or invisible to ctx,
   * BadRequest "Image X is not active (status: S)" unless active. Compute enforces minDisk/minRam.
   */
  getForBoot(ctx: RequestContext, id: string): BootImage {
    const row = this.access.visibleRow(ctx, id);
    if (row.status !== 'active' || row.size === null) throw badRequest(`Image ${id} is not active (status: ${row.status}).`);
    return {
      id: row.id,
      name: row.name,
      path: this.dataPath(id),
      diskFormat: row.disk_format as DiskFormat | null,
      size: row.size,
      virtualSize: row.virtual_size,
      minDisk: row.min_disk,
      minRam: row.min_ram,
    };
  }

  /** Creates and uploads a public image unless one with that name already exists (demo seeding). */
  async seedImage(spec: SeedImageSpec): Promise<ImageView> {
    const existing = this.db.prepare('SELECT id, status FROM images WHERE name = ? ORDER BY created_at LIMIT 1').get(spec.name) as { id: string; status: string } | undefined;
    if (existing && existing.status !== 'queued') return this.view(existing.id);
    const system: RequestContext = {
      userId: 'deskstack',
      userName: 'deskstack',
      domainId: 'default',
      projectId: spec.ownerProjectId,
      projectName: '',
      roles: ['admin'],
      isAdmin: true,
      requestId: 'req-seed',
    };
    // A seed cut off mid-upload left a queued record: fill that one rather than making a twin.
    const image = existing ? this.view(existing.id) : this.create(system, {
      name: spec.name,
      disk_format: spec.diskFormat,
      container_format: spec.containerFormat,
      visibility: spec.visibility,
      owner: spec.ownerProjectId,
      min_disk: spec.minDisk ?? 0,
      min_ram: spec.minRam ?? 0,
      properties: spec.properties ?? {},
    });
    return this.upload(system, image.id, Readable.from([spec.bytes]), { expectedSize: spec.bytes.length });
  }

  private dataPath(id: string): string {
    return join(this.dir, id);
  }

  private view(id: string): ImageView {
    const r = this.access.row(id);
    if (!r) throw imageNotFound(id);
    return rowToView(r);
  }

  /** Glance's default policy: only admins publicize images or give them to another project. */
  private checkPolicy(ctx: RequestContext, before: ImageDraft | null, after: ImageDraft): void {
    if (ctx.isAdmin) return;
    if (after.visibility === 'public' && before?.visibility !== 'public') throw forbidden('You are not authorized to complete publicize_image action.');
    if (after.owner !== (before?.owner ?? ctx.projectId)) throw forbidden('You are not authorized to change the owner of an image; only an admin can.');
  }

  private draftOf(r: ImageRow): ImageDraft {
    const props = readProps(r.properties);
    return {
      name: r.name,
      visibility: r.visibility,
      protected: r.protected === 1,
      os_hidden: props.hidden,
      min_disk: r.min_disk,
      min_ram: r.min_ram,
      disk_format: r.disk_format as DiskFormat | null,
      container_format: r.container_format as ContainerFormat | null,
      tags: JSON.parse(r.tags) as string[],
      owner: r.owner,
      properties: props.custom,
    };
  }

  private saveTags(row: ImageRow, tags: string[]): void {
    this.db.prepare('UPDATE images SET tags = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(tags), nowIso(), row.id);
    this.bus.resource('image', row.id, row.owner, 'updated');
  }
}
