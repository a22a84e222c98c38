// What the UI sees of each resource. Plain JSON: these cross IPC and HTTP unchanged.
// Types only — the renderer imports them with `import type`, so no Node code reaches the bundle.

import type { LogLevel, TaskView } from '../../core/events';

export type { TaskView, LogLevel };

/** Who the UI acts as. */
export interface SessionView {
  userId: string;
  userName: string;
  projectId: string;
  projectName: string;
  roles: string[];
  isAdmin: boolean;
}

export interface LoginResult {
  /** Keystone token for the HTTP transport (X-Auth-Token); the app's IPC transport ignores it. */
  token: string;
  expiresAt: string;
  session: SessionView;
}

export interface SetupStatusView {
  /** False until the first-run wizard has set the admin password (or the demo rack was seeded at start). */
  done: boolean;
  /** Number of compute hosts registered. */
  hostCount: number;
  /** Who the caller is when it sent a valid session (token or the app window), else null: start-up needs no failing call. */
  session: SessionView | null;
}

/** Nova's stable status words (ACTIVE, SHUTOFF, BUILD, ERROR, ...). */
export type ServerStatus = string;

export interface ServerAddress {
  network: string;
  addr: string;
  version: 4 | 6;
  mac?: string;
}

export interface ServerView {
  id: string;
  name: string;
  projectId: string;
  status: ServerStatus;
  /** Transitional state (spawning, powering-off, ...) or null when stable. */
  taskState: string | null;
  powerState: number;
  hostId: string | null;
  hostName: string | null;
  flavorId: string;
  flavorName: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  imageId: string;
  imageName: string | null;
  keyName: string | null;
  addresses: ServerAddress[];
  metadata: Record<string, string>;
  /** Set when status is ERROR: what failed, e.g. the scheduler's "No valid host ..." message. */
  fault: { code: number; message: string; details?: string } | null;
  progress: number;
  createdAt: string;
  updatedAt: string;
}

export interface InstanceActionView {
  action: string;
  requestId: string;
  userId: string;
  startTime: string;
  finishTime: string | null;
  message: string | null;
  events: Array<{ event: string; startTime: string; finishTime: string | null; result: string | null; host: string | null }>;
}

export interface ImageView {
  id: string;
  name: string;
  status: string;
  diskFormat: string | null;
  containerFormat: string | null;
  visibility: string;
  size: number | null;
  minDisk: number;
  minRam: number;
  owner: string | null;
  protected: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface FlavorView {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  isPublic: boolean;
  description: string | null;
}

export interface KeypairView {
  name: string;
  type: string;
  fingerprint: string;
  publicKey: string;
  createdAt: string;
}

/** A created key pair: the private key is returned once and never stored in clear. */
export interface KeypairCreated extends KeypairView {
  privateKey: string | null;
}

export interface HostUsage {
  vcpusUsed: number;
  ramMbUsed: number;
  diskGbUsed: number;
  instances: number;
}

export interface HostView {
  id: string;
  name: string;
  driver: string;
  address: string;
  state: 'up' | 'down' | 'unknown';
  /** False when an admin put the host in maintenance (Nova's disabled compute service). */
  enabled: boolean;
  disabledReason: string | null;
  provisionState: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  usage: HostUsage;
  lastSeenAt: string | null;
}

export interface HostProbeView {
  address: string;
  port: number;
  /** `SHA256:…` as `ssh-keygen -l` prints it: show it and ask the user to confirm. */
  fingerprint: string;
  keyType: string;
}

export interface HostAddResult {
  host: HostView;
  /** The preflight task started right after adding; follow it for the report. */
  preflightTaskId: string;
}

export interface PreflightCheckView {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  /** What to do; set for every warn and fail. */
  fix?: string;
}

export interface PreflightReportView {
  at: string;
  target: string;
  /** False when a check failed: provisioning will refuse. */
  ok: boolean;
  os: { id: string; versionId: string; prettyName: string };
  /** 'qemu' means software emulation (no usable /dev/kvm). */
  virtType: 'kvm' | 'qemu';
  vcpus: number;
  memoryMb: number;
  diskMb: number;
  diskAvailableMb: number;
  cpuModel: string;
  libvirtVersion: string | null;
  missingPackages: string[];
  checks: PreflightCheckView[];
}

export interface ProvisionStepView {
  id: string;
  title: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  /** false = already done, nothing changed; null until the step ran. */
  changed: boolean | null;
  summary: string | null;
  error: string | null;
  /** Last lines the step printed. */
  output: string[];
  startedAt: string | null;
  finishedAt: string | null;
}

export interface HostDetailView extends HostView {
  port: number;
  username: string;
  /** The pinned host key, null for demo hosts. */
  hostKeyFingerprint: string | null;
  availabilityZone: string;
  cpuModel: string;
  virtType: 'kvm' | 'qemu';
  preflight: PreflightReportView | null;
  preflightTaskId: string | null;
  provisionTaskId: string | null;
  provisionSteps: ProvisionStepView[];
}

export interface NetworkView {
  id: string;
  name: string;
  projectId: string;
  status: string;
  shared: boolean;
  external: boolean;
  cidr: string | null;
  mtu: number;
}

export interface TaskLogLine {
  at: string;
  level: LogLevel;
  line: string;
}

export interface OverviewView {
  hosts: HostView[];
  serverCounts: Record<string, number>;
  serverTotal: number;
  imageCount: number;
  networkCount: number;
  runningTasks: TaskView[];
  recentFailures: TaskView[];
  /** Servers currently in ERROR, newest first (at most 10). */
  errorServers: ServerView[];
}

export interface Ok {
  ok: true;
}

/** A project the caller may switch to (the top bar's project switcher). */
export interface ProjectRef {
  id: string;
  name: string;
}

export interface ProjectView {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  domainId: string;
  createdAt: string;
}

export interface UserView {
  id: string;
  name: string;
  enabled: boolean;
  email: string | null;
  defaultProjectId: string | null;
  createdAt: string;
  /** True for DeskStack's local administrator, which cannot be disabled or deleted. */
  builtIn: boolean;
}

export interface RoleView {
  id: string;
  name: string;
  description: string | null;
}

/**
 * A user holds a role on a project. Only a direct grant (groupId and inheritedFrom both null) can be removed
 * with roleUnassign; the others show where the role comes from and are changed at their source.
 */
export interface RoleAssignmentView {
  userId: string;
  projectId: string;
  roleId: string;
  /** The group whose grant it is (the user holds it as a member), or null for the user's own grant. */
  groupId: string | null;
  /** An inherited grant's origin: the project's domain or an ancestor project; null for a grant on the project itself. */
  inheritedFrom: { kind: 'domain' | 'project'; id: string; name: string } | null;
}

/** A grant made to a group: its members hold the role where it applies. */
export interface GroupGrantView {
  roleId: string;
  /** A project, or a domain (which only an inherited grant takes to its projects). */
  projectId: string | null;
  domainId: string | null;
  domainName: string | null;
  /** OS-INHERIT: applies to the projects below the target, not to the target itself. */
  inherited: boolean;
}

export interface GroupView {
  id: string;
  name: string;
  description: string;
  domainId: string;
  memberIds: string[];
  grants: GroupGrantView[];
}

/** One of the signed-in user's application credentials; the secret is never shown again after creation. */
export interface AppCredentialView {
  id: string;
  name: string;
  description: string | null;
  projectId: string;
  /** Null when the project is gone (the credential then no longer authenticates). */
  projectName: string | null;
  /** Names of the roles it carries on its project. */
  roles: string[];
  /** ISO timestamp, or null for no expiry. */
  expiresAt: string | null;
  /** An unrestricted credential may make further application credentials and trusts. */
  unrestricted: boolean;
  createdAt: string;
}

/** A new application credential with its secret, shown this once, and where clients authenticate with it. */
export interface AppCredentialCreated {
  credential: AppCredentialView;
  secret: string;
  /** The Keystone v3 URL clients use (auth_url), or null when this control plane serves no REST API (the desktop app without serve). */
  authUrl: string | null;
  regionName: string;
}

/** Nova's per-project quota resources; ram is in MB. */
export type QuotaResourceName = 'instances' | 'cores' | 'ram' | 'key_pairs' | 'metadata_items' | 'server_groups' | 'server_group_members';

/** A project's compute quota: limits (-1 = unlimited) and what it uses now (key pairs count the caller's own). */
export interface QuotaView {
  projectId: string;
  limits: Record<QuotaResourceName, number>;
  usage: Record<QuotaResourceName, number>;
}

/**
 * The details of an OverQuota error from serverCreate: which resources the launch would exceed, with
 * the request, the use and the limit of each, so the UI can explain the refusal in words.
 */
export interface OverQuotaDetails {
  overs: Array<'instances' | 'cores' | 'ram'>;
  requested: Record<'instances' | 'cores' | 'ram', number>;
  used: Record<'instances' | 'cores' | 'ram', number>;
  limits: Record<'instances' | 'cores' | 'ram', number>;
}
