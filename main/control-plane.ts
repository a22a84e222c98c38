import { join } from 'node:path';
import { loadConfig, type Config } from './core/config';
import { openDatabase, type Db } from './core/db';
import { EventBus } from './core/events';
import { acquireDataLock, type DataLock } from './core/data-lock';
import { ownerOnlyUmask, tightenDataDir } from './core/data-dir';
import { createLogger, type Logger } from './core/log';
import { TaskRunner } from './core/tasks';
import { IdentityService } from './identity/identity-service';
import { HostService } from './hosts/host-service';
import { sealKeyAtStart, type KeyAtRest } from './hosts/ssh-identity';
import { Scheduler } from './scheduler/scheduler';
import { ImageService } from './image/image-service';
import { NetworkService } from './network/network-service';
import { ComputeService } from './compute/compute-service';
import { seedDemo } from './demo/seed-demo';
import { ensureDefaultNetwork } from './network/default-network';

export interface ControlPlaneOptions {
  dataDir?: string;
  /** Seed the demo rack, flavors, the cirros image and the `private` network. */
  demo?: boolean;
  /** Password for the admin user on first start; generated when absent. */
  adminPassword?: string;
  /** Base URL clients reach the REST APIs at (used in the service catalog and version documents). */
  publicUrl?: string;
  config?: Partial<Config>;
  /** Passphrase for DeskStack's SSH key, passed in rather than through the environment children inherit. */
  keyPassphrase?: string;
  logger?: Logger;
}

export interface ControlPlane {
  config: Config;
  db: Db;
  bus: EventBus;
  tasks: TaskRunner;
  log: Logger;
  identity: IdentityService;
  hosts: HostService;
  scheduler: Scheduler;
  images: ImageService;
  networks: NetworkService;
  compute: ComputeService;
  /** Base URL of the REST APIs; set by serve once the port is known. */
  publicUrl: string;
  /** The admin password when it was generated on this start (shown once), else null. */
  generatedAdminPassword: string | null;
  /** How DeskStack's SSH private key is kept at rest after start-up (serve warns about a clear one). */
  keyAtRest: KeyAtRest;
  close(): Promise<void>;
}

const RECONCILE_WAIT_MS = 5_000;

/** Wires the services together over one database, event bus and task runner, then reconciles. */
export async function createControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const config = loadConfig({ ...opts.config, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.keyPassphrase ? { keyPassphrase: opts.keyPassphrase } : {}) });
  const log = opts.logger ?? createLogger();
  ownerOnlyUmask();
  const lock: DataLock = acquireDataLock(config.dataDir);
  const loosened = tightenDataDir(config.dataDir);
  if (loosened.length) {
    log.warn({ dataDir: config.dataDir, count: loosened.length, examples: loosened.slice(0, 5) }, 'the data folder held files others could read; made them owner-only (0600 files, 0700 folders)');
  }
  const key = sealKeyAtStart(config.dataDir, config.keyPassphrase);
  if (key.sealedNow) log.info({ dataDir: config.dataDir }, "DeskStack's SSH key was stored in clear; it is sealed with the configured passphrase now");
  const db = openDatabase(join(config.dataDir, 'deskstack.db'));
  const bus = new EventBus(log);
  const tasks = new TaskRunner(db, bus);
  const identity = new IdentityService(db, bus, config);
  const hosts = new HostService(db, bus, config, log, tasks);
  const scheduler = new Scheduler(db, hosts);
  const images = new ImageService(db, bus, config);
  const networks = new NetworkService(db, bus);
  const compute = new ComputeService({ db, bus, tasks, config, log, identity, hosts, scheduler, images, networks });

  const { generatedPassword } = await identity.bootstrap({ adminPassword: opts.adminPassword ?? process.env.DESKSTACK_ADMIN_PASSWORD });
  const adminProjectId = identity.adminIds().projectId;
  if (adminProjectId) ensureDefaultNetwork(networks, adminProjectId);
  if (opts.demo) await seedDemo({ identity, hosts, compute, images, networks, config });

  const interrupted = tasks.recoverInterrupted();
  await hosts.start();
  const reconciled = compute
    .reconcile(interrupted)
    .catch((err) => log.error({ err }, 'start-up reconciliation failed; the periodic power sync will retry'))
    .then(() => compute.startPowerSync());
  // A host that does not answer must not hold the API back: wait briefly, then let reconciliation finish on its own.
  await Promise.race([reconciled, new Promise((resolve) => setTimeout(resolve, RECONCILE_WAIT_MS).unref())]);

  let closed = false;
  const cp: ControlPlane = {
    config,
    db,
    bus,
    tasks,
    log,
    identity,
    hosts,
    scheduler,
    images,
    networks,
    compute,
    publicUrl: opts.publicUrl ?? 'http://127.0.0.1:0',
    generatedAdminPassword: generatedPassword,
    keyAtRest: key.state,
    async close() {
      if (closed) return;
      closed = true;
      tasks.abortAll();
      await compute.stop();
      await hosts.stop();
      db.close();
      lock.release();
    },
  };
  return cp;
}
