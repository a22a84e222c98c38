import { Readable } from 'node:stream';
import type { ImageView as GlanceImage } from '../../../image/image-types';
import type { ImageView } from '../../contract/views';
import type { Handler } from '../dispatch';

export const toImageView = (i: GlanceImage): ImageView => ({
  id: i.id,
  name: i.name ?? '',
  status: i.status,
  diskFormat: i.disk_format,
  containerFormat: i.container_format,
  visibility: i.visibility,
  size: i.size,
  minDisk: i.min_disk,
  minRam: i.min_ram,
  owner: i.owner,
  protected: i.protected,
  createdAt: i.created_at,
  updatedAt: i.updated_at,
});

export const imageList: Handler<'imageList'> = ({ cp, ctx }) => {
  const out: ImageView[] = [];
  let marker: string | undefined;
  // Glance pages its listing; the UI wants them all (image counts stay small).
  for (let page = 0; page < 50; page++) {
    const res = cp.images.list(ctx, { limit: 1000, ...(marker ? { marker } : {}) });
    out.push(...res.images.map(toImageView));
    if (!res.nextMarker) break;
    marker = res.nextMarker;
  }
  return out;
};

export const imageCreate: Handler<'imageCreate'> = ({ cp, ctx }, input) =>
  toImageView(
    cp.images.create(ctx, {
      name: input.name,
      disk_format: input.diskFormat,
      container_format: input.containerFormat,
      visibility: input.visibility,
      min_disk: input.minDisk,
      min_ram: input.minRam,
    }),
  );

export const imageUpload: Handler<'imageUpload'> = async ({ cp, ctx }, input) =>
  toImageView(await cp.images.upload(ctx, input.id, Readable.from([Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength)]), { expectedSize: input.data.byteLength }));

export const imageDelete: Handler<'imageDelete'> = ({ cp, ctx }, input) => {
  cp.images.delete(ctx, input.id);
  return { ok: true };
};
