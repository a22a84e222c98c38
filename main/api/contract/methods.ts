import { z } from 'zod';
import type {
  AppCredentialCreated,
  AppCredentialView,
  FlavorView,
  GroupView,
  HostAddResult,
  HostDetailView,
  HostProbeView,
  HostView,
  ImageView,
  InstanceActionView,
  KeypairCreated,
  KeypairView,
  LoginResult,
  NetworkView,
  Ok,
  OverviewView,
  ProjectRef,
  ProjectView,
  QuotaView,
  RoleAssignmentView,
  RoleView,
  ServerView,
  SessionView,
  SetupStatusView,
  TaskLogLine,
  TaskView,
  UserView,
} from './views';
import { MAX_LAUNCH_COUNT, MIN_PASSWORD, PROJECT_NAME_MAX, RESOURCE_NAME_HINT, RESOURCE_NAME_RE } from './rules';

// Inputs are strict objects: an unknown field is a BadRequest, not silently ignored.
const name = z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters');
const id = z.string().min(1).max(255);
const none = z.strictObject({});
const hostAddress = z.string().trim().min(1, 'must not be empty').max(253, 'must be at most 253 characters');
const sshPort = z.number().int().min(1).max(65535).default(22);
const serverName = z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters').regex(RESOURCE_NAME_RE, RESOURCE_NAME_HINT);
const projectName = z.string().trim().min(1, 'must not be empty').max(PROJECT_NAME_MAX, `must be at most ${PROJECT_NAME_MAX} characters`);
const description = z.string().max(255, 'must be at most 255 characters');
const newPassword = z.string().min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`).max(4096);
const email = z.string().trim().max(255).regex(/^[^\s@]+@[^\s@]+$/, 'must look like name@example.org');
const assignment = z.strictObject({ userId: id, projectId: id, roleId: id });
const groupAssignment = z.strictObject({ groupId: id, projectId: id, roleId: id });
const membership = z.strictObject({ groupId: id, userId: id });
// Quota limits: -1 is unlimited (Nova's convention).
const quotaLimit = z.number().int().min(-1, 'use -1 for unlimited').max(0x7fffffff);

/** Who may call a method: anyone (first run, login), any signed-in user, or admins only. */
export type Access = 'public' | 'user' | 'admin';

export const SERVER_ACTIONS = ['start', 'stop', 'reboot', 'hardReboot'] as const;
export type ServerActionName = (typeof SERVER_ACTIONS)[number];

/** Every method's input schema. The result types are in `Results` below, under the same names. */
export const inputs = {
  /** Whether setup is done, and the caller's session when the request carried a valid one. */
  setupStatus: none,
  /** First-run wizard, step 1: checks the password `deskstack serve` printed before anything else is asked. */
  setupVerify: z.strictObject({ currentPassword: z.string().min(1, 'must not be empty').max(4096) }),
  setupStart: z.strictObject({
    /** Over HTTP, the admin password `deskstack serve` printed (or DESKSTACK_ADMIN_PASSWORD): proof the caller runs this server. */
    currentPassword: z.string().min(1, 'must not be empty').max(4096).optional(),
    adminPassword: z.string().min(8, 'must be at least 8 characters').max(128),
    /** 'demo' seeds the simulated rack, flavors, cirros and the private network; 'empty' adds hosts later. */
    mode: z.enum(['demo', 'empty']),
  }),
  authLogin: z.strictObject({
    username: name,
    password: z.string().min(1, 'must not be empty').max(4096),
    project: name.optional(),
  }),
  authLogout: none,
  session: none,
  /**
   * Switches the session to another project the user holds a role on: over HTTP a rescoped Keystone token
   * replaces the old one (revoked); in the app the window's session changes. Everything must reload.
   */
  authRescope: z.strictObject({ projectId: id }),
  /** Enabled projects the signed-in user holds a role on (the project switcher). */
  projectListMine: none,
  overviewGet: none,

  serverList: z.strictObject({ ids: z.array(id).max(1000).optional(), allProjects: z.boolean().optional() }),
  serverGet: z.strictObject({ id }),
  serverCreate: z.strictObject({
    name: serverName,
    imageId: id,
    flavorId: id,
    networkIds: z.array(id).max(16).default([]),
    keyName: name.optional(),
    count: z.number().int('must be a whole number').min(1).max(MAX_LAUNCH_COUNT).default(1),
    userData: z.string().max(65535, 'user-data is limited to 64 KiB').optional(),
  }),
  serverAction: z.strictObject({ id, action: z.enum(SERVER_ACTIONS) }),
  serverDelete: z.strictObject({ id }),
  serverConsoleLog: z.strictObject({ id, lines: z.number().int().min(1).max(10000).optional() }),
  serverActions: z.strictObject({ id }),

  imageList: none,
  imageCreate: z.strictObject({
    name,
    diskFormat: z.enum(['qcow2', 'raw', 'iso', 'vmdk', 'vdi', 'vhd', 'vhdx', 'ami', 'ari', 'aki']).default('qcow2'),
    containerFormat: z.enum(['bare', 'ovf', 'ova', 'docker', 'ami', 'ari', 'aki']).default('bare'),
    visibility: z.enum(['public', 'private', 'shared', 'community']).default('private'),
    minDisk: z.number().int().min(0).max(100000).default(0),
    minRam: z.number().int().min(0).max(10_000_000).default(0),
  }),
  /** Uploads an image's bytes in one piece (IPC transport; over HTTP use Glance's PUT /image/v2/images/{id}/file). */
  imageUpload: z.strictObject({ id, data: z.instanceof(Uint8Array) }),
  imageDelete: z.strictObject({ id }),

  flavorList: none,

  keypairList: none,
  keypairCreate: z.strictObject({ name: name.regex(/^(?! )[a-zA-Z0-9. _-]+(?<! )$/, 'may contain letters, digits, spaces, _ . and - (no leading or trailing space)'), type: z.enum(['ssh', 'x509']).default('ssh') }),
  keypairImport: z.strictObject({
    name: name.regex(/^(?! )[a-zA-Z0-9. _-]+(?<! )$/, 'may contain letters, digits, spaces, _ . and - (no leading or trailing space)'),
    publicKey: z.string().trim().min(1).max(16384),
    type: z.enum(['ssh', 'x509']).default('ssh'),
  }),
  keypairDelete: z.strictObject({ name }),

  hostList: none,
  /** First contact: reads the host key (nothing is sent) so the user can confirm its fingerprint. */
  hostProbe: z.strictObject({ address: hostAddress, port: sshPort }),
  /**
   * Adds a real host. `auth` (a password or private key) is used once to install DeskStack's own key
   * and never stored; `hostKeyFingerprint` must be the one hostProbe showed (a different live key is
   * Forbidden). Address `local` adds this computer (no SSH, no auth). Starts the preflight task.
   */
  hostAdd: z.strictObject({
    address: hostAddress,
    port: sshPort,
    user: z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/, 'must be a Linux user name such as root').default('root'),
    auth: z
      .union([
        z.strictObject({ password: z.string().min(1, 'must not be empty').max(4096) }),
        z.strictObject({ privateKey: z.string().min(1, 'must not be empty').max(16384), passphrase: z.string().max(1024).optional() }),
      ])
      .optional(),
    name: z.string().max(63, 'must be at most 63 characters').optional(),
    hostKeyFingerprint: z.string().max(100).optional(),
  }),
  /** One host with its last preflight report and provisioning steps. */
  hostGet: z.strictObject({ id }),
  /** Re-runs the read-only preflight; returns its task. */
  hostPreflight: z.strictObject({ id }),
  /** Provisions (or resumes provisioning: finished steps are skipped); returns its task. */
  hostProvision: z.strictObject({ id }),
  /** enabled false = maintenance: the host keeps its servers but gets no new ones. */
  hostMaintenance: z.strictObject({ id, enabled: z.boolean(), reason: z.string().max(255, 'must be at most 255 characters').optional() }),
  /** Refused (Conflict) while servers are on the host unless force: then they go to ERROR. */
  hostRemove: z.strictObject({ id, force: z.boolean().default(false) }),
  networkList: none,

  /** The compute quota of the caller's project, or (admins) of any project. */
  quotaGet: z.strictObject({ projectId: id.optional() }),
  /** Sets limits; refused (BadRequest) below what the project uses unless force. */
  quotaUpdate: z.strictObject({
    projectId: id,
    limits: z.strictObject({ instances: quotaLimit.optional(), cores: quotaLimit.optional(), ram: quotaLimit.optional(), key_pairs: quotaLimit.optional(), server_groups: quotaLimit.optional() }),
    force: z.boolean().default(false),
  }),

  projectList: none,
  projectCreate: z.strictObject({ name: projectName, description: description.default(''), enabled: z.boolean().default(true) }),
  projectUpdate: z.strictObject({ id, name: projectName.optional(), description: description.optional(), enabled: z.boolean().optional() }),
  /** Deletes the project record; its instances are not deleted (as in Keystone). */
  projectDelete: z.strictObject({ id }),
  userList: none,
  userCreate: z.strictObject({ name, password: newPassword, email: email.optional(), defaultProjectId: id.optional(), enabled: z.boolean().default(true) }),
  userUpdate: z.strictObject({ id, name: name.optional(), email: email.nullable().optional(), enabled: z.boolean().optional(), defaultProjectId: id.nullable().optional() }),
  /** An admin sets a user's password; the user's tokens end. */
  userSetPassword: z.strictObject({ id, password: newPassword }),
  userDelete: z.strictObject({ id }),
  roleList: none,
  /** Users' roles on projects: their own grants, their groups' and inherited ones, each with its source. */
  roleAssignmentList: z.strictObject({ userId: id.optional(), projectId: id.optional() }),
  /** A direct grant of a role to a user on a project. */
  roleAssign: assignment,
  /** Removes a direct grant; a role held through a group or inherited is changed at its source. */
  roleUnassign: assignment,

  /** Groups with their members and grants. */
  groupList: none,
  groupCreate: z.strictObject({ name, description: description.default('') }),
  groupUpdate: z.strictObject({ id, name: name.optional(), description: description.optional() }),
  /** Deleting a group takes its grants with it: its members lose those roles at once. */
  groupDelete: z.strictObject({ id }),
  groupMemberAdd: membership,
  groupMemberRemove: membership,
  /** Gives a group a role on a project; every member holds it. */
  groupRoleAssign: groupAssignment,
  groupRoleUnassign: groupAssignment,

  /** The signed-in user's application credentials, on every project. */
  appCredentialList: none,
  /**
   * Makes an application credential on the session's project carrying some of the roles the session holds
   * there (by name). The secret is in the result only; the control plane keeps a hash.
   */
  appCredentialCreate: z.strictObject({
    name,
    description: description.optional(),
    /** ISO 8601; must be in the future. */
    expiresAt: z.string().max(64).optional(),
    roles: z.array(name).min(1, 'choose at least one role').max(32),
    unrestricted: z.boolean().default(false),
  }),
  /** Revokes it: tokens issued for it end at once. */
  appCredentialDelete: z.strictObject({ id }),

  taskList: z.strictObject({
    states: z.array(z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'])).max(6).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  taskLog: z.strictObject({ id }),
  /** Cancels a task whose view says cancellable; Conflict when it has ended or cannot be stopped midway safely. */
  taskCancel: z.strictObject({ id }),
} satisfies Record<string, z.ZodType>;

export type MethodName = keyof typeof inputs;

/** What the caller receives from each method. */
export interface Results {
  setupStatus: SetupStatusView;
  setupVerify: Ok;
  setupStart: LoginResult;
  authLogin: LoginResult;
  authLogout: Ok;
  session: SessionView;
  authRescope: LoginResult;
  projectListMine: ProjectRef[];
  overviewGet: OverviewView;
  serverList: ServerView[];
  serverGet: ServerView;
  serverCreate: ServerView[];
  serverAction: ServerView;
  serverDelete: Ok;
  serverConsoleLog: { output: string };
  serverActions: InstanceActionView[];
  imageList: ImageView[];
  imageCreate: ImageView;
  imageUpload: ImageView;
  imageDelete: Ok;
  flavorList: FlavorView[];
  keypairList: KeypairView[];
  keypairCreate: KeypairCreated;
  keypairImport: KeypairCreated;
  keypairDelete: Ok;
  hostList: HostView[];
  hostProbe: HostProbeView;
  hostAdd: HostAddResult;
  hostGet: HostDetailView;
  hostPreflight: TaskView;
  hostProvision: TaskView;
  hostMaintenance: HostView;
  hostRemove: Ok;
  networkList: NetworkView[];
  quotaGet: QuotaView;
  quotaUpdate: QuotaView;
  projectList: ProjectView[];
  projectCreate: ProjectView;
  projectUpdate: ProjectView;
  projectDelete: Ok;
  userList: UserView[];
  userCreate: UserView;
  userUpdate: UserView;
  userSetPassword: Ok;
  userDelete: Ok;
  roleList: RoleView[];
  roleAssignmentList: RoleAssignmentView[];
  roleAssign: Ok;
  roleUnassign: Ok;
  groupList: GroupView[];
  groupCreate: GroupView;
  groupUpdate: GroupView;
  groupDelete: Ok;
  groupMemberAdd: Ok;
  groupMemberRemove: Ok;
  groupRoleAssign: Ok;
  groupRoleUnassign: Ok;
  appCredentialList: AppCredentialView[];
  appCredentialCreate: AppCredentialCreated;
  appCredentialDelete: Ok;
  taskList: TaskView[];
  taskLog: TaskLogLine[];
  taskCancel: { cancelled: boolean };
}

/** Who may call each method. */
export const access: Record<MethodName, Access> = {
  setupStatus: 'public',
  setupVerify: 'public',
  setupStart: 'public',
  authLogin: 'public',
  authLogout: 'user',
  session: 'user',
  authRescope: 'user',
  projectListMine: 'user',
  overviewGet: 'user',
  serverList: 'user',
  serverGet: 'user',
  serverCreate: 'user',
  serverAction: 'user',
  serverDelete: 'user',
  serverConsoleLog: 'user',
  serverActions: 'user',
  imageList: 'user',
  imageCreate: 'user',
  imageUpload: 'user',
  imageDelete: 'user',
  flavorList: 'user',
  keypairList: 'user',
  keypairCreate: 'user',
  keypairImport: 'user',
  keypairDelete: 'user',
  hostList: 'admin',
  hostProbe: 'admin',
  hostAdd: 'admin',
  hostGet: 'admin',
  hostPreflight: 'admin',
  hostProvision: 'admin',
  hostMaintenance: 'admin',
  hostRemove: 'admin',
  networkList: 'user',
  quotaGet: 'user',
  quotaUpdate: 'admin',
  projectList: 'admin',
  projectCreate: 'admin',
  projectUpdate: 'admin',
  projectDelete: 'admin',
  userList: 'admin',
  userCreate: 'admin',
  userUpdate: 'admin',
  userSetPassword: 'admin',
  userDelete: 'admin',
  roleList: 'user',
  roleAssignmentList: 'admin',
  roleAssign: 'admin',
  roleUnassign: 'admin',
  groupList: 'admin',
  groupCreate: 'admin',
  groupUpdate: 'admin',
  groupDelete: 'admin',
  groupMemberAdd: 'admin',
  groupMemberRemove: 'admin',
  groupRoleAssign: 'admin',
  groupRoleUnassign: 'admin',
  appCredentialList: 'user',
  appCredentialCreate: 'user',
  appCredentialDelete: 'user',
  taskList: 'user',
  taskLog: 'user',
  taskCancel: 'user',
};

/** The caller's view of an input: optional where a default applies. */
export type InputOf<M extends MethodName> = z.input<(typeof inputs)[M]>;
/** The handler's view of an input: validated, defaults applied. */
export type ParsedInputOf<M extends MethodName> = z.output<(typeof inputs)[M]>;
export type ResultOf<M extends MethodName> = Results[M];

// Compile-time check that every method has a result type and vice versa.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _resultsCoverMethods: Same<MethodName, keyof Results> = true;
void _resultsCoverMethods;
