import type { Config } from '../core/config';
import type { Db } from '../core/db';
import type { EventBus } from '../core/events';
import type { Logger } from '../core/log';
import type { TaskRunner } from '../core/tasks';
import type { IdentityService } from '../identity/identity-service';
import type { HostService } from '../hosts/host-service';
import type { Scheduler } from '../scheduler/scheduler';
import type { ImageService } from '../image/image-service';
import type { NetworkService } from '../network/network-service';
import type { FlavorStore } from './flavors';
import type { InstanceActionLog } from './instance-actions';
import type { KeypairStore } from './keypairs';
import type { QuotaStore } from './quotas';
import type { ServerGroupStore } from './server-groups';
import type { ServerStore } from './server-store';

export interface ComputeDeps {
  db: Db;
  bus: EventBus;
  tasks: TaskRunner;
  config: Config;
  log: Logger;
  identity: IdentityService;
  hosts: HostService;
  scheduler: Scheduler;
  images: ImageService;
  networks: NetworkService;
}

/** Everything the server lifecycle code works with: the services it calls and compute's own stores. */
export interface ComputeCore extends ComputeDeps {
  servers: ServerStore;
  flavors: FlavorStore;
  keypairs: KeypairStore;
  quotas: QuotaStore;
  groups: ServerGroupStore;
  actions: InstanceActionLog;
  /** The task working on each server now (build, power op or delete), so delete can cancel it. */
  running: Map<string, { taskId: string; done: Promise<unknown> }>;
}

/** Who asked for an operation; recorded in instance actions. */
export interface Requester {
  requestId: string;
  projectId: string;
  userId: string;
}
