// The registry of compute hosts: their rows, their drivers, and their health.
import { join } from 'node:path';
import type { Config } from '../core/config';
import type { Db } from '../core/db';
import { conflict, DeskError, notFound } from '../core/errors';
import type { EventBus, TaskView } from '../core/events';
import { newUuid, nowIso } from '../core/ids';
import type { Logger } from '../core/log';
import type { TaskRunner } from '../core/tasks';
import { FakeRack } from '../drivers/fake/index';
import type { Executor } from '../drivers/executor/executor';
import type { HostDriver, OpContext } from '../drivers/types';
import { HealthMonitor, type HealthOptions, type HealthTarget } from './health-monitor';
import { probeHost, type ProbeResult } from './host-add';
import { HostConnections } from './host-connections';
import { HostRecords, type HostAccess, type ProvisioningRecord } from './host-records';
import { createLibvirtDriver } from './libvirt-driver-factory';
import { LibvirtHosts, type AddHostInput, type AddHostResult } from './libvirt-hosts';
import { loadOrCreateIdentity, type SshIdentity } from './ssh-identity';
import { checkAvailabilityZone, checkCapacity, checkHostName } from './host-input';
import { HOST_COLUMNS, toHostView, type HostRow, type HostState, type HostView } from './host-view';

export type { HostView, HostState } from './host-view';
export type { HealthOptions } from './health-monitor';
export type { AddHostInput, AddHostResult } from './libvirt-hosts';
export type { ProbeResult } from './host-add';
export type { HostAccess, ProvisioningRecord } from './host-records';

/** What the host service needs from compute to remove a host (ComputeService provides it). */
export interface HostServerPort {
  /** Live (not deleted) servers placed on the host. */
  serversOnHost(hostId: string): Array<{ id: string; name: string }>;
  /** Live servers on the host go to ERROR with `reason` as their fault; every server row lets go of the host and its allocation. */
  releaseHost(hostId: string, reason: string): void;
}

export interface AddFakeHostInput {
  name: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  /** "nova" when absent, like Nova's default zone. */
  availabilityZone?: string;
}

const opNow = () => ({ signal: AbortSignal.timeout(30_000) });

export class HostService {
  private readonly drivers = new Map<string, HostDriver>();
  private rack: FakeRack | null = null;
  private monitor: HealthMonitor | null = null;
  private readonly stmt;
  private readonly records: HostRecords;
  private readonly connections: HostConnections;
  private readonly libvirt: LibvirtHosts;
  private identityCache: SshIdentity | null = null;
  /** Rows as last read; dropped on our own writes and when another connection commits (data_version). */
  private cache: { version: number; hosts: HostView[]; byId: Map<string, HostView> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly config: Config,
    private readonly log: Logger,
    /** Runs preflight and provisioning; only real hosts need it. */
    private readonly taskRunner?: TaskRunner,
  ) {
    this.stmt = {
      list: db.prepare(`SELECT ${HOST_COLUMNS} FROM hosts ORDER BY name, id`),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      get: db.prepare(`SELECT ${HOST_COLUMNS} FROM hosts WHERE id = ?`),
      byName: db.prepare(`SELECT ${HOST_COLUMNS} FROM hosts WHERE name = ?`),
      setState: db.prepare('UPDATE hosts SET state = ?, updated_at = ? WHERE id = ?'),
      seen: db.prepare('UPDATE hosts SET last_seen_at = ? WHERE id = ?'),
      setEnabled: db.prepare('UPDATE hosts SET enabled = ?, disabled_reason = ?, updated_at = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM hosts WHERE id = ?'),
    };
    this.records = new HostRecords(db);
    this.connections = new HostConnections(() => this.identity());
    this.libvirt = new LibvirtHosts({
      db,
      bus,
      log,
      records: this.records,
      connections: this.connections,
      identity: () => this.identity(),
      tasks: () => {
        if (!this.taskRunner) throw new DeskError('Unavailable', 'This host service has no task runner; real hosts need the full control plane.');
        return this.taskRunner;
      },
      get: (id) => this.get(id),
      findByName: (name) => this.findByName(name),
      changed: (id, dropDriver) => {
        this.cache = null;
        if (dropDriver) this.drivers.delete(id);
      },
      driverFor: (id) => this.driverFor(id),
    });
  }

  /** DeskStack's own SSH key pair, created on first use (see ssh-identity.ts). */
  identity(): SshIdentity {
    this.identityCache ??= loadOrCreateIdentity(this.config.dataDir, this.config.keyPassphrase);
    return this.identityCache;
  }

  /** First contact: the host key's fingerprint and type, for the user to confirm. Nothing is sent. */
  probe(address: string, port = 22): Promise<ProbeResult> {
    return probeHost(address, port);
  }

  /**
   * Adds a real host: checks the live key against the confirmed one (Forbidden when it differs),
   * installs DeskStack's key with the given password or key (used once, never stored), logs in with
   * DeskStack's key, registers the host as provision state 'new' and starts its preflight task.
   */
  addHost(input: AddHostInput): Promise<AddHostResult> {
    return this.libvirt.add(input);
  }

  /** Re-runs a real host's read-only preflight as a task. Conflict while another host task runs. */
  startPreflight(hostId: string): TaskView {
    return this.libvirt.startPreflight(hostId);
  }

  /** Provisions a real host (or resumes: finished steps find nothing to do) as a task. */
  startProvision(hostId: string): TaskView {
    return this.libvirt.startProvision(hostId);
  }

  /** How a host is reached: address, SSH port and user, pinned host key. */
  access(hostId: string): HostAccess {
    const a = this.records.access(hostId);
    if (!a) throw notFound('Host', hostId);
    return a;
  }

  /** The last preflight report and provisioning steps of a host (empty for demo hosts). */
  provisioning(hostId: string): ProvisioningRecord {
    this.get(hostId);
    return this.records.get(hostId);
  }

  /** The demo rack (created on first use), for failure injection in tests and demos. */
  get fakeRack(): FakeRack {
    this.rack ??= new FakeRack({ stateFile: join(this.config.dataDir, 'fake-rack.json'), delayScale: this.config.fakeDelayScale });
    return this.rack;
  }

  /** Creates drivers for every registered host and starts pinging them (every 10 s unless told otherwise). */
  async start(health: HealthOptions = {}): Promise<void> {
    // A preflight or provisioning cut short by a stop is not running any more: show it as failed, to resume.
    const cut = this.db.prepare("UPDATE hosts SET provision_state = 'failed', updated_at = ? WHERE provision_state IN ('preflight','provisioning')").run(nowIso());
    if (cut.changes > 0) this.cache = null;
    for (const host of this.list()) {
      try {
        this.ensureDriver(host);
      } catch (err) {
        this.log.warn({ host: host.name, err: (err as Error).message }, 'host has no driver; it stays out of health checks');
      }
    }
    await this.monitor?.stop();
    this.monitor = new HealthMonitor(this.healthTarget(), health, this.log);
    this.monitor.start();
  }

  /** Stops the health loop and releases every driver's connections. */
  async stop(): Promise<void> {
    await this.monitor?.stop();
    this.monitor = null;
    await Promise.allSettled([...this.drivers.values()].map((d) => d.close()));
    this.drivers.clear();
    await this.connections.closeAll();
    this.rack?.flush();
  }

  /** Runs one health round now; resolves when every host has answered or failed. */
  async checkHealth(): Promise<void> {
    return (this.monitor ?? new HealthMonitor(this.healthTarget())).check();
  }

  /**
   * Adds a simulated host to the demo rack and registers the capacity its driver reports.
   * Rejects with BadRequest for an unsafe name or capacity, Conflict when the name is taken.
   */
  async addFakeHost(input: AddFakeHostInput): Promise<HostView> {
    const name = checkHostName(input.name);
    const capacity = {
      vcpus: checkCapacity('vCPU count', input.vcpus, 4096),
      memoryMb: checkCapacity('memory (MiB)', input.memoryMb, 64 * 1024 * 1024),
      diskGb: checkCapacity('disk (GB)', input.diskGb, 1024 * 1024),
    };
    const zone = checkAvailabilityZone(input.availabilityZone ?? 'nova');
    if (this.findByName(name)) throw conflict(`A host named ${name} already exists; choose another name or remove that host first.`);
    const driver = this.fakeRack.driverFor(name, capacity);
    const facts = await driver.facts(opNow());
    const id = newUuid();
    const now = nowIso();
    try {
      this.db
        .prepare(
          `INSERT INTO hosts (id, name, driver, address, enabled, state, provision_state, availability_zone, vcpus, memory_mb, disk_gb,
             cpu_model, virt_type, hypervisor_type, hypervisor_version, host_ip, created_at, updated_at, last_seen_at)
           VALUES (?, ?, 'fake', ?, 1, 'up', 'ready', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, name, facts.hostIp, zone, facts.vcpus, facts.memoryMb, facts.diskGb, facts.cpuModel, facts.virtType, facts.hypervisorType, facts.hypervisorVersion, facts.hostIp, now, now, now);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict(`A host named ${name} already exists; choose another name or remove that host first.`);
      throw err;
    }
    this.cache = null;
    this.drivers.set(id, driver);
    this.log.info({ host: name, vcpus: facts.vcpus, memoryMb: facts.memoryMb, diskGb: facts.diskGb }, 'fake host added');
    this.bus.resource('host', id, null, 'created');
    return this.get(id);
  }

  /** Every host, ordered by name. Cheap enough to call on every scheduling decision. */
  list(): HostView[] {
    return this.cached().hosts.map((h) => ({ ...h }));
  }

  /** Rejects with NotFound when there is no such host. Served from the cache: every server view asks. */
  get(id: string): HostView {
    const host = this.cached().byId.get(id);
    if (!host) throw notFound('Host', id);
    return { ...host };
  }

  /** Host rows, re-read only when this or another connection wrote to the database since. */
  private cached(): { hosts: HostView[]; byId: Map<string, HostView> } {
    const version = this.stmt.dataVersion.get() as number;
    if (!this.cache || this.cache.version !== version) {
      const hosts = (this.stmt.list.all() as HostRow[]).map(toHostView);
      this.cache = { version, hosts, byId: new Map(hosts.map((h) => [h.id, h])) };
    }
    return this.cache;
  }

  findByName(name: string): HostView | undefined {
    const row = this.stmt.byName.get(name) as HostRow | undefined;
    return row ? toHostView(row) : undefined;
  }

  /** The driver that reaches this host. NotFound for an unknown host; Unavailable when its driver cannot be built. */
  driverFor(hostId: string): HostDriver {
    const existing = this.drivers.get(hostId);
    if (existing) return existing;
    return this.ensureDriver(this.get(hostId));
  }

  /** Maintenance switch: a disabled host keeps its servers but gets no new ones. */
  setEnabled(id: string, enabled: boolean, reason?: string): HostView {
    const host = this.get(id);
    const why = enabled ? null : (reason?.trim() || null);
    if (why && why.length > 255) throw new DeskError('BadRequest', 'The disabled reason is longer than 255 characters; shorten it.');
    this.stmt.setEnabled.run(enabled ? 1 : 0, why, nowIso(), id);
    this.cache = null;
    this.log.info({ host: host.name, enabled, reason: why }, 'host maintenance changed');
    this.bus.resource('host', id, null, 'updated');
    return this.get(id);
  }

  /**
   * Overcommit per host, like Nova's cpu/ram/disk_allocation_ratio (defaults 16, 1.5, 1).
   * The scheduler offers capacity × ratio; lowering a ratio never evicts servers already placed.
   */
  setAllocationRatios(id: string, ratios: { cpu?: number; ram?: number; disk?: number }): HostView {
    const host = this.get(id);
    for (const [what, r] of Object.entries(ratios)) {
      if (r !== undefined && !(Number.isFinite(r) && r > 0 && r <= 1000)) {
        throw new DeskError('BadRequest', `Invalid ${what} allocation ratio ${r}: give a number above 0 and at most 1000 (1.0 means no overcommit).`);
      }
    }
    this.db
      .prepare('UPDATE hosts SET cpu_allocation_ratio = ?, ram_allocation_ratio = ?, disk_allocation_ratio = ?, updated_at = ? WHERE id = ?')
      .run(ratios.cpu ?? host.cpuAllocationRatio, ratios.ram ?? host.ramAllocationRatio, ratios.disk ?? host.diskAllocationRatio, nowIso(), id);
    this.cache = null;
    this.bus.resource('host', id, null, 'updated');
    return this.get(id);
  }

  /**
   * Removes a host. Conflict while live servers are placed on it, unless `force`: then their domains
   * are destroyed best-effort and the servers go to ERROR (their fault says why), so nothing vanishes
   * silently. `servers` (compute) frees the rows that still point at the host, deleted ones included.
   */
  async remove(id: string, opts: { force?: boolean; servers?: HostServerPort } = {}): Promise<void> {
    const host = this.get(id);
    const live = opts.servers?.serversOnHost(id) ?? [];
    if (live.length > 0 && !opts.force) {
      throw conflict(`Host ${host.name} still has ${live.length} server(s) on it (${live.slice(0, 5).map((s) => s.name).join(', ')}); delete or move them, or remove the host with force.`, {
        hostId: id,
        servers: live.map((s) => s.id),
      });
    }
    if (live.length > 0) await this.destroyBestEffort(host, live);
    opts.servers?.releaseHost(id, `Host ${host.name} was removed while this server was on it; delete the server.`);
    try {
      this.stmt.remove.run(id);
      this.cache = null;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw conflict(`Host ${host.name} still has servers placed on it; delete or move them, then remove the host.`, { hostId: id });
      }
      throw err;
    }
    const driver = this.drivers.get(id);
    this.drivers.delete(id);
    await driver?.close();
    await this.connections.close(id);
    if (host.driver === 'fake') this.fakeRack.forgetHost(host.name);
    this.log.info({ host: host.name, forced: live.length > 0 }, 'host removed');
    this.bus.resource('host', id, null, 'deleted');
  }

  private async destroyBestEffort(host: HostView, servers: Array<{ id: string; name: string }>): Promise<void> {
    let driver: HostDriver;
    try {
      driver = this.driverFor(host.id);
    } catch (err) {
      this.log.warn({ host: host.name, err: (err as Error).message }, 'forced remove: no driver, domains are left on the host');
      return;
    }
    for (const s of servers) {
      try {
        await driver.destroy(s.id, { signal: AbortSignal.timeout(60_000) });
      } catch (err) {
        this.log.warn({ host: host.name, server: s.id, err: (err as Error).message }, 'forced remove: could not destroy a domain');
      }
    }
  }

  private healthTarget(): HealthTarget {
    return {
      list: () => this.list(),
      pinger: (id) => this.pinger(id),
      setState: (id, state, message) => this.setState(id, state, message),
      seen: (id) => {
        this.stmt.seen.run(nowIso(), id);
        this.cache = null;
      },
    };
  }

  /** Real hosts are up while SSH answers (libvirt may not be installed yet); demo hosts ask their driver. */
  private pinger(id: string): ((op: OpContext) => Promise<void>) | undefined {
    const host = this.list().find((h) => h.id === id);
    if (!host) return undefined;
    if (host.driver === 'libvirt') {
      let exec: Executor;
      try {
        exec = this.libvirt.link(host).exec;
      } catch {
        return undefined; // no pinned key: the host cannot be reached until it is re-added
      }
      return async (op) => {
        await exec.runChecked(['true'], { signal: op.signal, timeoutMs: 10_000 });
      };
    }
    return this.drivers.get(id)?.ping.bind(this.drivers.get(id));
  }

  private ensureDriver(host: HostView): HostDriver {
    let driver = this.drivers.get(host.id);
    if (driver) return driver;
    if (host.driver === 'libvirt') {
      driver = createLibvirtDriver({
        hostName: host.name,
        exec: this.libvirt.link(host).root,
        virtType: host.virtType,
      });
      this.drivers.set(host.id, driver);
      return driver;
    }
    driver = this.fakeRack.driverFor(host.name, { vcpus: host.vcpus, memoryMb: host.memoryMb, diskGb: host.diskGb, cpuModel: host.cpuModel, hostIp: host.hostIp });
    this.drivers.set(host.id, driver);
    return driver;
  }

  private setState(id: string, state: HostState, message?: string): void {
    const res = this.stmt.setState.run(state, nowIso(), id);
    this.cache = null;
    if (res.changes === 0) return;
    const name = (this.stmt.get.get(id) as HostRow | undefined)?.name ?? id;
    if (state === 'down') this.log.warn({ host: name, reason: message }, 'host is down');
    else this.log.info({ host: name, state }, 'host state changed');
    this.bus.emit({ type: 'host.health', hostId: id, state, ...(message ? { message } : {}) });
    this.bus.resource('host', id, null, 'updated');
  }
}
