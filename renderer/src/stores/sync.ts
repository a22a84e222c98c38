// The one module that writes the data store: initial loads, and pushed events applied as they come.
// Components never poll; they call actions here or the client, and read the stores.
import type { DeskEvent, LoginResult, ResourceKind, ServerView, TaskView } from '../../../main/api/contract/index';
import { client, asClientError } from '../api/client';
import { emptyData, useData } from './data';
import { clearIdentity, loadIdentity, reloadOpenQuotas, reloadPeople, reloadProjects } from './identity-sync';
import { useSession } from './session';
import { settle, whenSessionExpires } from './settle';
import { useUi } from './ui';

let unsubscribeEvents: (() => void) | null = null;
let unsubscribeConn: (() => void) | null = null;

const isAdmin = (): boolean => useSession.getState().session?.isAdmin ?? false;

/** Decides what to show first: the wizard, the login page, or the app. One call, which never fails for a signed-out browser. */
export async function boot(): Promise<void> {
  try {
    const status = await client.call('setupStatus', {});
    if (!status.done) {
      useSession.setState({ phase: 'setup', session: null, error: null });
    } else if (status.session) {
      useSession.setState({ phase: 'ready', session: status.session, error: null });
      startSync();
    } else {
      // A token the server no longer accepts is dropped quietly.
      client.setToken(null);
      useSession.setState({ phase: 'login', session: null, error: null });
    }
  } catch (err) {
    useSession.setState({ phase: 'offline', error: asClientError(err).message });
  }
}

/** Stores a fresh login and starts the live stores. */
export function signedIn(result: LoginResult): void {
  client.setToken(result.token);
  useSession.setState({ phase: 'ready', session: result.session, error: null });
  startSync();
}

export async function signOut(): Promise<void> {
  try {
    await client.call('authLogout', {});
  } catch {
    /* the token may already be gone; signing out locally is what matters */
  }
  stopSync();
  client.setToken(null);
  clearStores();
  useSession.setState({ phase: 'login', session: null });
}

/**
 * Moves the session to another of the user's projects (a rescoped token, or the window's session in
 * the app) and reloads everything for it. Rejects with the reason when the switch is refused.
 */
export async function switchProject(projectId: string): Promise<void> {
  const result = await client.call('authRescope', { projectId });
  stopSync();
  if (result.token) client.setToken(result.token);
  clearStores();
  useUi.setState({ selectedServerId: null, instanceFilter: '' });
  useSession.setState({ phase: 'ready', session: result.session, error: null });
  startSync();
}

function clearStores(): void {
  useData.setState(emptyData(), true);
  clearIdentity();
}

function startSync(): void {
  stopSync();
  unsubscribeEvents = client.onEvent(applyEvent);
  // Every (re)connect reloads everything, since events may have been missed while away.
  unsubscribeConn = client.onConnection((state) => {
    if (state === 'open') void loadAll();
  });
  void loadAll();
}

function stopSync(): void {
  unsubscribeEvents?.();
  unsubscribeConn?.();
  unsubscribeEvents = unsubscribeConn = null;
}

whenSessionExpires(() => {
  if (useSession.getState().phase !== 'ready') return;
  stopSync();
  client.setToken(null);
  clearStores();
  useSession.setState({ phase: 'login', session: null, error: 'Your session expired; sign in again.' });
});

export async function loadAll(): Promise<void> {
  if (isAdmin()) void loadIdentity();
  const [servers, images, flavors, keypairs, networks, tasks, hosts, quota, myProjects, appCredentials] = await Promise.all([
    settle(client.call('serverList', {})),
    settle(client.call('imageList', {})),
    settle(client.call('flavorList', {})),
    settle(client.call('keypairList', {})),
    settle(client.call('networkList', {})),
    settle(client.call('taskList', { limit: 200 })),
    isAdmin() ? settle(client.call('hostList', {})) : Promise.resolve([]),
    settle(client.call('quotaGet', {})),
    settle(client.call('projectListMine', {})),
    settle(client.call('appCredentialList', {})),
  ]);
  useData.setState((s) => ({
    loaded: true,
    servers: servers ? Object.fromEntries(servers.map((v) => [v.id, v])) : s.servers,
    images: images ?? s.images,
    flavors: flavors ?? s.flavors,
    keypairs: keypairs ?? s.keypairs,
    networks: networks ?? s.networks,
    tasks: tasks ? Object.fromEntries(tasks.map((t) => [t.id, t])) : s.tasks,
    hosts: hosts ?? s.hosts,
    quota: quota ?? s.quota,
    myProjects: myProjects ?? s.myProjects,
    appCredentials: appCredentials ?? s.appCredentials,
  }));
}

// Resource events arrive in bursts (a 50-instance launch); changes are gathered and fetched in one go.
const pendingServers = new Set<string>();
const pendingLists = new Set<ResourceKind>();
const pendingQuotas = new Set<string>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;

function schedule(): void {
  if (!flushTimer) flushTimer = setTimeout(flush, 120);
}

async function flush(): Promise<void> {
  flushTimer = null;
  const ids = [...pendingServers];
  const lists = [...pendingLists];
  const quotas = [...pendingQuotas];
  pendingServers.clear();
  pendingLists.clear();
  pendingQuotas.clear();
  if (ids.length) {
    const fresh = await settle(client.call('serverList', { ids: ids.slice(0, 1000) }));
    if (fresh) {
      useData.setState((s) => {
        const servers = { ...s.servers };
        const seen = new Set(fresh.map((v) => v.id));
        for (const v of fresh) servers[v.id] = v;
        // Asked for but not returned: deleted, or no longer visible to this session.
        for (const id of ids) if (!seen.has(id)) delete servers[id];
        return { servers };
      });
    }
  }
  await Promise.all([...lists.map(reloadList), quotas.length ? reloadQuotas(quotas) : null]);
}

/** The session's own quota (the wizard's and the Overview's numbers) and any the Identity page has open. */
async function reloadQuotas(projectIds: string[]): Promise<void> {
  const own = useSession.getState().session?.projectId;
  if (own && projectIds.includes(own)) {
    const quota = await settle(client.call('quotaGet', {}));
    if (quota) useData.setState({ quota });
  }
  await reloadOpenQuotas(projectIds);
}

async function reloadMyProjects(): Promise<void> {
  const myProjects = await settle(client.call('projectListMine', {}));
  if (myProjects) useData.setState({ myProjects });
}

async function reloadList(kind: ResourceKind): Promise<void> {
  switch (kind) {
    case 'image': {
      const images = await settle(client.call('imageList', {}));
      if (images) useData.setState({ images });
      break;
    }
    case 'flavor': {
      const flavors = await settle(client.call('flavorList', {}));
      if (flavors) useData.setState({ flavors });
      break;
    }
    case 'keypair': {
      const keypairs = await settle(client.call('keypairList', {}));
      if (keypairs) useData.setState({ keypairs });
      break;
    }
    case 'network': {
      const networks = await settle(client.call('networkList', {}));
      if (networks) useData.setState({ networks });
      break;
    }
    case 'host': {
      if (!isAdmin()) break;
      const hosts = await settle(client.call('hostList', {}));
      if (hosts) useData.setState({ hosts });
      break;
    }
    case 'project':
      // A deleted project takes its grants with it.
      await Promise.all([reloadMyProjects(), isAdmin() ? reloadProjects() : null, isAdmin() ? reloadPeople() : null]);
      break;
    case 'user':
    case 'group':
      // Grants arrive as user or group events (a group's reach its members): the switcher's list may change too.
      await Promise.all([reloadMyProjects(), isAdmin() ? reloadPeople() : null]);
      break;
    case 'application_credential': {
      const appCredentials = await settle(client.call('appCredentialList', {}));
      if (appCredentials) useData.setState({ appCredentials });
      break;
    }
    default:
      break;
  }
}

/** Puts a task the caller already holds (e.g. returned by hostProvision) into the store. */
export function upsertTask(task: TaskView): void {
  applyTask(task);
}

function applyTask(task: TaskView): void {
  useData.setState((s) => ({ tasks: { ...s.tasks, [task.id]: task } }));
}

/** Applies one pushed event to the stores. */
export function applyEvent(event: DeskEvent): void {
  switch (event.type) {
    case 'resource':
      if (event.kind === 'server') {
        if (event.action === 'deleted') {
          useData.setState((s) => {
            if (!s.servers[event.id]) return s;
            const servers = { ...s.servers };
            delete servers[event.id];
            return { servers };
          });
        } else pendingServers.add(event.id);
        // Placement changes a host's usage bars, and the project's quota usage.
        pendingLists.add('host');
        if (event.projectId) pendingQuotas.add(event.projectId);
      } else if (event.kind === 'quota') pendingQuotas.add(event.id);
      else pendingLists.add(event.kind);
      schedule();
      break;
    case 'task':
      applyTask(event.task);
      break;
    case 'task.log':
      useData.setState((s) => {
        const log = s.taskLogs[event.taskId];
        if (!log) return s;
        return { taskLogs: { ...s.taskLogs, [event.taskId]: [...log, { at: event.at, level: event.level, line: event.line }] } };
      });
      break;
    case 'host.health':
      useData.setState((s) => ({ hosts: s.hosts.map((h) => (h.id === event.hostId ? { ...h, state: event.state } : h)) }));
      break;
  }
}

/** Loads a task's log once; task.log events keep it current afterwards. */
export async function openTaskLog(taskId: string): Promise<void> {
  if (useData.getState().taskLogs[taskId]) return;
  const lines = await settle(client.call('taskLog', { id: taskId }));
  if (lines) useData.setState((s) => ({ taskLogs: { ...s.taskLogs, [taskId]: lines } }));
}

/** Puts a result the caller already holds into the store (e.g. servers returned by serverCreate). */
export function upsertServers(list: ServerView[]): void {
  useData.setState((s) => {
    const servers = { ...s.servers };
    for (const v of list) servers[v.id] = v;
    return { servers };
  });
}
