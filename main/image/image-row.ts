import { isoSeconds } from '../core/ids';
import type { ContainerFormat, DiskFormat, ImageStatus, ImageView, ImageVisibility } from './image-types';

/** A row of the `images` table (migration 0005). */
export interface ImageRow {
  id: string;
  owner: string | null;
  name: string | null;
  status: ImageStatus;
  disk_format: string | null;
  container_format: string | null;
  visibility: ImageVisibility;
  protected: number;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: number;
  min_ram: number;
  tags: string;
  properties: string;
  file: string | null;
  created_at: string;
  updated_at: string;
}

// os_hidden has no column of its own; it rides in the properties JSON under this key.
const HIDDEN_KEY = 'os_hidden';

export interface StoredProps {
  hidden: boolean;
  custom: Record<string, string>;
}

export function readProps(json: string): StoredProps {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== HIDDEN_KEY) custom[k] = String(v);
  return { hidden: raw[HIDDEN_KEY] === true, custom };
}

export function writeProps(p: StoredProps): string {
  return JSON.stringify(p.hidden ? { ...p.custom, [HIDDEN_KEY]: true } : p.custom);
}

export function rowToView(r: ImageRow): ImageView {
  const props = readProps(r.properties);
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    visibility: r.visibility,
    protected: r.protected === 1,
    os_hidden: props.hidden,
    checksum: r.checksum,
    os_hash_algo: r.os_hash_algo,
    os_hash_value: r.os_hash_value,
    size: r.size,
    virtual_size: r.virtual_size,
    min_disk: r.min_disk,
    min_ram: r.min_ram,
    disk_format: r.disk_format as DiskFormat | null,
    container_format: r.container_format as ContainerFormat | null,
    owner: r.owner,
    tags: JSON.parse(r.tags) as string[],
    created_at: isoSeconds(r.created_at),
    updated_at: isoSeconds(r.updated_at),
    self: `/v2/images/${r.id}`,
    file: `/v2/images/${r.id}/file`,
    schema: '/v2/schemas/image',
    properties: props.custom,
  };
}
