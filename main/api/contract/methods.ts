import { z } from 'zod';
import type {
  FlavorView,
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
  ServerView,
  SessionView,
  SetupStatusView,
  TaskLogLine,
  TaskView,
} from './views';

// Inputs are strict objects: an unknown field is a BadRequest, not silently ignored.
const name = z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters');
const id = z.string().min(1).max(255);
const none = z.strictObject({});
const hostAddress = z.string().trim().min(1, 'must not be empty').max(253, 'must be at most 253 characters');
const sshPort = z.number().int().min(1).max(65535).default(22);

/** Who may call a method: anyone (first run, login), any signed-in user, or admins only. */
export type Access = 'public' | 'user' | 'admin';

export const SERVER_ACTIONS = ['start', 'stop', 'reboot', 'hardReboot'] as const;
export type ServerActionName = (typeof SERVER_ACTIONS)[number];

/** Every method's input schema. The result types are in `Results` below, under the same names. */
export const inputs = {
  setupStatus: none,
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
  overviewGet: none,

  serverList: z.strictObject({ ids: z.array(id).max(1000).optional(), allProjects: z.boolean().optional() }),
  serverGet: z.strictObject({ id }),
  serverCreate: z.strictObject({
    name,
    imageId: id,
    flavorId: id,
    networkIds: z.array(id).max(16).default([]),
    keyName: name.optional(),
    count: z.number().int().min(1).max(50).default(1),
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
  setupStart: LoginResult;
  authLogin: LoginResult;
  authLogout: Ok;
  session: SessionView;
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
  taskList: TaskView[];
  taskLog: TaskLogLine[];
  taskCancel: { cancelled: boolean };
}

/** Who may call each method. */
export const access: Record<MethodName, Access> = {
  setupStatus: 'public',
  setupStart: 'public',
  authLogin: 'public',
  authLogout: 'user',
  session: 'user',
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
