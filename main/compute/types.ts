// Plain views of Nova's entities as the compute service hands them out (REST and UI render from these).

export interface FlavorView {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  createdAt: string;
}

/** The flavor as copied into the server at boot (Nova keeps it even if the flavor is deleted later). */
export interface EmbeddedFlavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  ephemeral: number;
  swap: number;
  extraSpecs: Record<string, string>;
}

export interface KeypairView {
  id: number;
  name: string;
  userId: string;
  type: 'ssh' | 'x509';
  publicKey: string;
  fingerprint: string;
  createdAt: string;
  /** Only on generate, never stored. */
  privateKey?: string;
}

export interface FixedAddress {
  networkId: string;
  networkName: string;
  addr: string;
  mac: string;
  version: 4;
}

export interface ServerFault {
  code: number;
  /** The full message, for admins. */
  message: string;
  details: string;
  created: string;
  /** What a non-admin sees of a 500 fault (no hosts, no executor output); a generic sentence when absent. */
  publicMessage?: string;
}

export interface ServerView {
  id: string;
  /** Integer row id, used for Nova's instance-%08x name. */
  internalId: number;
  projectId: string;
  userId: string;
  name: string;
  status: string;
  vmState: string;
  taskState: string | null;
  powerState: number;
  hostId: string | null;
  hostName: string | null;
  flavorId: string;
  flavor: EmbeddedFlavor;
  imageId: string;
  keyName: string | null;
  userData: string | null;
  networks: Array<{ id: string; name: string }>;
  addresses: FixedAddress[];
  availabilityZone: string | null;
  serverGroupId: string | null;
  reservationId: string;
  launchIndex: number;
  configDrive: string;
  description: string | null;
  fault: ServerFault | null;
  progress: number;
  locked: boolean;
  metadata: Record<string, string>;
  tags: string[];
  /** The guest's hostname: asked for (2.90) or derived from the name at create. */
  hostname: string;
  /** '' when unset, as Nova shows them. */
  accessIPv4: string;
  accessIPv6: string;
  /** Security group names asked for at create (the project's 'default' when none were). */
  securityGroups: string[];
  /** Nova's OS-DCF:diskConfig as asked for; the root disk always has the flavor's size and cloud-init grows the partition either way. */
  diskConfig: 'AUTO' | 'MANUAL';
  createdAt: string;
  updatedAt: string;
  launchedAt: string | null;
  terminatedAt: string | null;
  deleted: boolean;
}

/** What PUT /servers/{id} may change. */
export interface ServerUpdate {
  name?: string;
  description?: string | null;
  hostname?: string;
  accessIPv4?: string;
  accessIPv6?: string;
  diskConfig?: 'AUTO' | 'MANUAL';
}

export interface ServerGroupView {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';
  members: string[];
  createdAt: string;
}

export interface InstanceActionEventView {
  event: string;
  startTime: string;
  finishTime: string | null;
  result: string | null;
  traceback: string | null;
  host: string | null;
}

export interface InstanceActionView {
  id: number;
  action: string;
  serverId: string;
  requestId: string;
  projectId: string;
  userId: string;
  startTime: string;
  finishTime: string | null;
  message: string | null;
  updatedAt: string;
  events?: InstanceActionEventView[];
}

export type QuotaResource = 'instances' | 'cores' | 'ram' | 'key_pairs' | 'metadata_items' | 'server_groups' | 'server_group_members';

export const QUOTA_RESOURCES: QuotaResource[] = ['instances', 'cores', 'ram', 'key_pairs', 'metadata_items', 'server_groups', 'server_group_members'];

/** Nova's defaults (nova/conf/quota.py); -1 means unlimited. */
export const DEFAULT_QUOTAS: Record<QuotaResource, number> = {
  instances: 10,
  cores: 20,
  ram: 51200,
  key_pairs: 100,
  metadata_items: 128,
  server_groups: 10,
  server_group_members: 10,
};

/** Quotas Nova still reports to old microversions (networking before 2.36/2.50, files before 2.57); nothing consumes them. */
export type LegacyQuotaResource =
  | 'fixed_ips'
  | 'floating_ips'
  | 'security_group_rules'
  | 'security_groups'
  | 'injected_files'
  | 'injected_file_content_bytes'
  | 'injected_file_path_bytes';

export const LEGACY_QUOTA_DEFAULTS: Record<LegacyQuotaResource, number> = {
  fixed_ips: -1,
  floating_ips: 10,
  security_group_rules: 20,
  security_groups: 10,
  injected_files: 5,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
};

export interface ServerListFilter {
  allTenants?: boolean;
  projectId?: string;
  name?: string;
  status?: string;
  hostName?: string;
  /** Resolved from hostName by the service. */
  hostId?: string;
  flavorId?: string;
  imageId?: string;
  changesSince?: string;
  ip?: string;
  /** Nova's tag filters (2.26): all of, any of, not all of, none of. */
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
  includeDeleted?: boolean;
  limit?: number;
  marker?: string;
  sortDir?: 'asc' | 'desc';
}

export interface HypervisorView {
  hostId: string;
  /** 1-based stable integer id for microversions before 2.53. */
  index: number;
  name: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  cpuModel: string;
  virtType: string;
  vcpus: number;
  vcpusUsed: number;
  memoryMb: number;
  memoryMbUsed: number;
  localGb: number;
  localGbUsed: number;
  runningVms: number;
  availabilityZone: string;
  updatedAt: string;
  serviceId: string;
}
