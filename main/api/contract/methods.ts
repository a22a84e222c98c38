import { z } from 'zod';
import type {
  FlavorView,
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

/** Who may call a method: anyone (first run, login), any signed-in user, or admins only. */
export type Access = 'public' | 'user' | 'admin';

export const SERVER_ACTIONS = ['start', 'stop', 'reboot', 'hardReboot'] as const;
export type ServerActionName = (typeof SERVER_ACTIONS)[number];

/** Every method's input schema. The result types are in `Results` below, under the same names. */
export const inputs = {
  setupStatus: none,
  setupStart: z.strictObject({
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
  networkList: none,

  taskList: z.strictObject({
    states: z.array(z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'])).max(6).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  taskLog: z.strictObject({ id }),
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
