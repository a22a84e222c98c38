// Glance v2 vocabulary: statuses, formats and the image as clients see it.

export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'] as const;
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const;
export const VISIBILITIES = ['public', 'private', 'shared', 'community'] as const;
export const IMAGE_STATUSES = ['queued', 'saving', 'uploading', 'importing', 'active', 'killed', 'deleted', 'pending_delete', 'deactivated'] as const;

export type DiskFormat = (typeof DISK_FORMATS)[number];
export type ContainerFormat = (typeof CONTAINER_FORMATS)[number];
export type ImageVisibility = (typeof VISIBILITIES)[number];
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/** Attributes Glance computes itself; a client that sets one gets 403 "Attribute 'x' is read-only." */
export const READ_ONLY_ATTRS = ['id', 'status', 'checksum', 'os_hash_algo', 'os_hash_value', 'size', 'virtual_size', 'created_at', 'updated_at', 'self', 'file', 'schema'] as const;
/** Names Glance keeps for itself; 403 "Attribute 'x' is reserved." */
export const RESERVED_ATTRS = ['location', 'locations', 'deleted', 'deleted_at', 'direct_url'] as const;
/** Glance keeps every property in the os_glance namespace for itself (import state and the like). */
export const RESERVED_PREFIX = 'os_glance';
/** Core attributes a client may set (create and PATCH). */
export const WRITABLE_ATTRS = ['name', 'visibility', 'protected', 'os_hidden', 'min_disk', 'min_ram', 'disk_format', 'container_format', 'tags', 'owner'] as const;

/** Glance's limits (image_property_quota, image_tag_quota, column sizes). */
export const LIMITS = { nameLength: 255, tagLength: 255, tags: 128, properties: 128, propertyKeyLength: 255, propertyValueLength: 65535 } as const;

/**
 * One image with Glance v2's field names. `properties` holds the custom (string) properties that the
 * REST API flattens to the top level of the image document; `self`, `file` and `schema` are the
 * relative links Glance returns.
 */
export interface ImageView {
  id: string;
  name: string | null;
  status: ImageStatus;
  visibility: ImageVisibility;
  protected: boolean;
  os_hidden: boolean;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  size: number | null;
  virtual_size: number | null;
  min_disk: number;
  min_ram: number;
  disk_format: DiskFormat | null;
  container_format: ContainerFormat | null;
  owner: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
  self: string;
  file: string;
  schema: string;
  properties: Record<string, string>;
}

/** What a caller may give at create time (Glance's POST /v2/images body). */
export interface ImageCreateFields {
  id?: string;
  name?: string | null;
  disk_format?: DiskFormat | null;
  container_format?: ContainerFormat | null;
  visibility?: ImageVisibility;
  protected?: boolean;
  os_hidden?: boolean;
  min_disk?: number;
  min_ram?: number;
  tags?: string[];
  /** Only an admin may give the image to another project. */
  owner?: string | null;
  properties?: Record<string, string>;
}

/** One JSON-patch operation as Glance's v2.1 json-patch media type carries it. */
export interface ImagePatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** Glance's time comparison filter, `created_at=gte:2024-01-01T00:00:00Z`. */
export interface TimeFilter {
  op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';
  /** ISO 8601 with milliseconds, comparable with the stored timestamps. */
  at: string;
}

export interface ImageListFilters {
  id?: string;
  name?: string;
  status?: string;
  /** 'all' lists every visible image, community included. */
  visibility?: ImageVisibility | 'all';
  owner?: string;
  disk_format?: string;
  container_format?: string;
  tag?: string[];
  protected?: boolean;
  os_hidden?: boolean;
  size_min?: number;
  size_max?: number;
  size?: number;
  virtual_size?: number;
  min_disk?: number;
  min_ram?: number;
  checksum?: string;
  os_hash_value?: string;
  created_at?: TimeFilter;
  updated_at?: TimeFilter;
  limit?: number;
  marker?: string;
  sort_key?: string[];
  sort_dir?: Array<'asc' | 'desc'>;
  /** Which of the images shared with the caller's project to list (Glance's default: accepted). */
  member_status?: MemberStatus | 'all';
  /** Custom properties that must match exactly. */
  properties?: Record<string, string>;
}

export interface ImageListPage {
  images: ImageView[];
  /** Id to pass as marker for the next page; absent when the page was not full. */
  nextMarker?: string;
}

/** What compute needs to boot from an image. */
export interface BootImage {
  id: string;
  name: string | null;
  /** Absolute path of the image bytes on the control plane. */
  path: string;
  diskFormat: DiskFormat | null;
  size: number;
  /** Virtual disk size (qcow2 header) or the file size; null when unknown. */
  virtualSize: number | null;
  minDisk: number;
  minRam: number;
}

export interface UploadOptions {
  signal?: AbortSignal;
  /** Called with the running byte count as data arrives. */
  onProgress?(bytes: number): void;
  /** The Content-Length the client announced; a body of another length fails the upload. */
  expectedSize?: number;
}

export interface ImageData {
  stream: import('node:stream').Readable;
  size: number;
  checksum: string;
}

export const MEMBER_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** One image membership as Glance shows it. */
export interface ImageMemberView {
  image_id: string;
  member_id: string;
  status: MemberStatus;
  created_at: string;
  updated_at: string;
  schema: '/v2/schemas/member';
}
