import { create } from 'zustand';
import type { AppCredentialView, FlavorView, HostView, ImageView, KeypairView, NetworkView, ProjectRef, QuotaView, ServerView, TaskLogLine, TaskView } from '../../../main/api/contract/index';

/** Everything the screens show, as the control plane last told us. Only stores/sync.ts writes here. */
export interface DataState {
  loaded: boolean;
  servers: Record<string, ServerView>;
  images: ImageView[];
  flavors: FlavorView[];
  keypairs: KeypairView[];
  networks: NetworkView[];
  hosts: HostView[];
  tasks: Record<string, TaskView>;
  /** Logs of the tasks someone opened, kept live by task.log events. */
  taskLogs: Record<string, TaskLogLine[]>;
  /** The session's project quota: limits and usage (null until loaded). */
  quota: QuotaView | null;
  /** Projects the user may switch to. */
  myProjects: ProjectRef[];
  /** The signed-in user's application credentials. */
  appCredentials: AppCredentialView[];
}

export const emptyData = (): DataState => ({
  loaded: false,
  servers: {},
  images: [],
  flavors: [],
  keypairs: [],
  networks: [],
  hosts: [],
  tasks: {},
  taskLogs: {},
  quota: null,
  myProjects: [],
  appCredentials: [],
});

export const useData = create<DataState>(() => emptyData());

// Narrow selectors: components subscribe to exactly what they render.
export const selectServers = (s: DataState) => s.servers;
export const selectImages = (s: DataState) => s.images;
export const selectFlavors = (s: DataState) => s.flavors;
export const selectKeypairs = (s: DataState) => s.keypairs;
export const selectNetworks = (s: DataState) => s.networks;
export const selectHosts = (s: DataState) => s.hosts;
export const selectTasks = (s: DataState) => s.tasks;
export const selectQuota = (s: DataState) => s.quota;
export const selectMyProjects = (s: DataState) => s.myProjects;
export const selectAppCredentials = (s: DataState) => s.appCredentials;
export const selectServer = (id: string | null) => (s: DataState) => (id ? s.servers[id] : undefined);
export const selectTaskLog = (id: string) => (s: DataState) => s.taskLogs[id];
export const selectRunningCount = (s: DataState) => {
  let n = 0;
  for (const t of Object.values(s.tasks)) if (t.state === 'running' || t.state === 'queued') n++;
  return n;
};
