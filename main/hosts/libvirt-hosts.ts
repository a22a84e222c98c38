// Real (libvirt) hosts: adding one (trust on first use, key installed once), its preflight and
// provisioning tasks, and the capacity it registers. HostService delegates here.
import { hostname as localHostname } from 'node:os';
import type { Db } from '../core/db';
import { conflict, DeskError } from '../core/errors';
import type { EventBus, TaskView } from '../core/events';
import { newUuid, nowIso } from '../core/ids';
import type { Logger } from '../core/log';
import type { TaskRunner } from '../core/tasks';
import type { HostDriver } from '../drivers/types';
import { checkAddress, checkFingerprint, installDeskKey, verifyLiveKey, type HostAuth } from './host-add';
import { LOCAL_ADDRESS, type HostConnections, type HostLink } from './host-connections';
import { checkAvailabilityZone, checkHostName } from './host-input';
import type { HostRecords } from './host-records';
import type { HostView, ProvisionState } from './host-view';
import { runPreflight, type PreflightReport } from './preflight';
import { PROVISION_STEPS, type ProvisionStep, type StepOutcome } from './provision-steps';
import { runProvisioning, withAptLock } from './provisioner';
import type { SshIdentity } from './ssh-identity';

export interface AddHostInput {
  /** IP address or DNS name, or `local` for "This computer". */
  address: string;
  port?: number;
  /** SSH user; root unless given (a non-root user needs passwordless sudo). */
  user?: string;
  /** Used once to install DeskStack's key; never stored. Not needed for `local`. */
  auth?: HostAuth;
  name?: string;
  /** The fingerprint the user confirmed from probe(); the live key must match it. */
  hostKeyFingerprint?: string;
  availabilityZone?: string;
}

export interface AddHostResult {
  host: HostView;
  /** The preflight that starts right after adding. */
  preflightTask: TaskView;
}

export interface LibvirtHostsDeps {
  db: Db;
  bus: EventBus;
  log: Logger;
  tasks(): TaskRunner;
  records: HostRecords;
  connections: HostConnections;
  identity(): SshIdentity;
  get(id: string): HostView;
  findByName(name: string): HostView | undefined;
  /** Forget cached rows and drivers of a host after its row changed. */
  changed(id: string, dropDriver?: boolean): void;
  driverFor(id: string): HostDriver;
}

const USER = /^[a-z_][a-z0-9_.-]{0,31}$/;

export class LibvirtHosts {
  /** Host id → the preflight or provisioning task running on it (one at a time). */
  private readonly busy = new Map<string, string>();

  constructor(private readonly d: LibvirtHostsDeps) {}

  link(host: HostView): HostLink {
    const access = this.d.records.access(host.id);
    if (!access) throw new DeskError('NotFound', `Host ${host.id} could not be found.`);
    return this.d.connections.link(host.id, access);
  }

  async add(input: AddHostInput): Promise<AddHostResult> {
    const local = input.address === LOCAL_ADDRESS;
    const address = local ? LOCAL_ADDRESS : checkAddress(input.address);
    const port = input.port ?? 22;
    const user = input.user ?? 'root';
    if (!USER.test(user)) throw new DeskError('BadRequest', `Invalid SSH user ${JSON.stringify(user.slice(0, 40))}: use a Linux user name such as root or admin.`);
    const zone = checkAvailabilityZone(input.availabilityZone ?? 'nova');
    const existing = this.d.db.prepare("SELECT name FROM hosts WHERE driver = 'libvirt' AND address = ? AND port = ?").pluck().get(address, port) as string | undefined;
    if (existing) throw conflict(`${local ? 'This computer' : `${address}:${port}`} is already added as host ${existing}.`, { host: existing });
    if (input.name !== undefined) this.checkNameFree(checkHostName(input.name));

    let fingerprint: string | null = null;
    if (!local) {
      if (!input.hostKeyFingerprint) throw new DeskError('BadRequest', `Confirm the host key first: probe ${address} and pass the fingerprint it shows.`);
      if (!input.auth) throw new DeskError('BadRequest', `Give a password or a private key for ${user}@${address}; it is used once to install DeskStack's key.`);
      fingerprint = checkFingerprint(input.hostKeyFingerprint);
      await verifyLiveKey(address, port, fingerprint);
      const result = await installDeskKey({ address, port, username: user, fingerprint }, input.auth, this.d.identity().publicKey);
      this.d.log.info({ host: address, user, key: result }, "DeskStack's key is in authorized_keys");
    }

    const id = newUuid();
    const now = nowIso();
    // The row exists before the first keyed login, so the pooled connection can be built from it.
    const provisionalName = input.name ?? `host-${id.slice(0, 8)}`;
    this.d.db
      .prepare(
        `INSERT INTO hosts (id, name, driver, address, port, username, host_key, enabled, state, provision_state, availability_zone, virt_type, host_ip, created_at, updated_at, last_seen_at)
         VALUES (?, ?, 'libvirt', ?, ?, ?, ?, 1, 'up', 'new', ?, 'qemu', ?, ?, ?, ?)`,
      )
      .run(id, provisionalName, address, port, user, fingerprint, zone, local ? '127.0.0.1' : address, now, now, now);
    this.d.changed(id);
    try {
      const link = this.link(this.d.get(id));
      // Proves DeskStack's own key works before the user's credentials are forgotten.
      const who = await link.exec.runChecked(['hostname'], { timeoutMs: 20_000, hint: "DeskStack's key was installed but is not accepted; check sshd's AuthorizedKeysFile and PubkeyAuthentication" });
      if (input.name === undefined) this.renameToHostname(id, local ? localHostname() : who.stdout.trim());
    } catch (err) {
      await this.d.connections.close(id);
      this.d.db.prepare('DELETE FROM hosts WHERE id = ?').run(id);
      this.d.changed(id, true);
      throw err;
    }
    const host = this.d.get(id);
    this.d.log.info({ host: host.name, address, port, user }, 'libvirt host added');
    this.d.bus.resource('host', id, null, 'created');
    return { host, preflightTask: this.startPreflight(id) };
  }

  private checkNameFree(name: string): void {
    if (this.d.findByName(name)) throw conflict(`A host named ${name} already exists; choose another name.`);
  }

  /** Uses the machine's own hostname when it is a valid, free host name; otherwise keeps host-<id>. */
  private renameToHostname(id: string, raw: string): void {
    const name = raw.split('.')[0].replace(/[^A-Za-z0-9._-]/g, '').slice(0, 63);
    if (!name || this.d.findByName(name)) return;
    this.d.db.prepare('UPDATE hosts SET name = ? WHERE id = ?').run(name, id);
    this.d.changed(id);
  }

  private claim(hostId: string, what: string): void {
    const running = this.busy.get(hostId);
    if (running) throw conflict(`Host ${this.d.get(hostId).name} is busy with task ${running}; wait for it to end before starting ${what}.`, { taskId: running });
  }

  private setProvisionState(id: string, state: ProvisionState): void {
    this.d.db.prepare('UPDATE hosts SET provision_state = ?, updated_at = ? WHERE id = ?').run(state, nowIso(), id);
    this.d.changed(id);
    this.d.bus.resource('host', id, null, 'updated');
  }

  private savePreflight(host: HostView, report: PreflightReport): void {
    this.d.records.savePreflight(host.id, report);
    if (report.virtType !== host.virtType) {
      this.d.db.prepare('UPDATE hosts SET virt_type = ?, updated_at = ? WHERE id = ?').run(report.virtType, nowIso(), host.id);
      this.d.changed(host.id, true);
    }
    this.d.bus.resource('host', host.id, null, 'updated');
  }

  private failedChecks(report: PreflightReport): string {
    return report.checks
      .filter((c) => c.status === 'fail')
      .map((c) => `${c.title}: ${c.detail}${c.fix ? ` Fix: ${c.fix}` : ''}`)
      .join(' ');
  }

  /** Re-runs the read-only preflight as a task; the report is stored with the host. */
  startPreflight(hostId: string): TaskView {
    const host = this.libvirtHost(hostId);
    this.claim(hostId, 'a preflight');
    const started = this.d.tasks().start({ kind: 'host.preflight', title: `Preflight of host ${host.name}`, resourceType: 'host', resourceId: host.id, hostId: host.id, cancellable: true }, async (t) => {
      t.progress(0, 'Checking the host');
      const report = await runPreflight(this.link(host).exec, { signal: t.signal, log: (l) => t.log(l) });
      this.savePreflight(this.d.get(hostId), report);
      const current = this.d.get(hostId).provisionState;
      if (current !== 'ready' && current !== 'provisioning') this.setProvisionState(hostId, report.ok ? 'new' : 'failed');
      if (!report.ok) throw new DeskError('Conflict', `Preflight of ${host.name} failed. ${this.failedChecks(report)}`);
    });
    this.track(hostId, started.task.id, started.done);
    this.d.records.setPreflightTask(hostId, started.task.id);
    return started.task;
  }

  /** Provisions the host as a task (or resumes after a failure: done steps find nothing to do). */
  startProvision(hostId: string): TaskView {
    const host = this.libvirtHost(hostId);
    this.claim(hostId, 'provisioning');
    let needsSudo = false;
    const preflightStep: ProvisionStep = {
      id: 'preflight',
      title: 'Preflight checks',
      timeoutMs: 2 * 60_000,
      run: async (ctx) => {
        const report = await runPreflight(ctx.exec, { signal: ctx.signal, log: ctx.log });
        this.savePreflight(this.d.get(hostId), report);
        if (!report.ok) throw new Error(`the host does not qualify. ${this.failedChecks(report)}`);
        needsSudo = report.needsSudo;
        return { changed: false, summary: `${report.os.prettyName}; virt type ${report.virtType}` };
      },
    };
    const steps = [preflightStep, ...PROVISION_STEPS];
    const started = this.d.tasks().start({ kind: 'host.provision', title: `Provision host ${host.name}`, resourceType: 'host', resourceId: host.id, hostId: host.id, cancellable: true }, async (t) => {
      this.setProvisionState(hostId, 'provisioning');
      try {
        await runProvisioning(
          steps,
          {
            exec: this.link(host).exec,
            root: (argv) => (needsSudo ? ['sudo', '-n', '--', ...argv] : argv),
            withAptLock,
            registerCapacity: () => this.registerCapacity(hostId, t.signal),
          },
          {
            signal: t.signal,
            progress: (f, step) => t.progress(f, step),
            log: (line, level) => t.log(line, level),
            onSteps: (records) => {
              this.d.records.saveSteps(hostId, records);
              this.d.bus.resource('host', hostId, null, 'updated');
            },
          },
        );
        this.setProvisionState(hostId, 'ready');
      } catch (err) {
        this.setProvisionState(hostId, 'failed');
        throw err;
      }
    });
    this.track(hostId, started.task.id, started.done);
    this.d.records.setProvisionTask(hostId, started.task.id);
    return started.task;
  }

  /** Reads the host's facts through its driver and stores them as its capacity. */
  private async registerCapacity(hostId: string, signal: AbortSignal): Promise<StepOutcome> {
    this.d.changed(hostId, true); // a fresh driver picks up the virt type the preflight found
    const facts = await this.d.driverFor(hostId).facts({ signal });
    const before = this.d.get(hostId);
    const same =
      before.vcpus === facts.vcpus &&
      before.memoryMb === facts.memoryMb &&
      before.diskGb === facts.diskGb &&
      before.cpuModel === facts.cpuModel &&
      before.virtType === facts.virtType &&
      before.hypervisorVersion === facts.hypervisorVersion &&
      before.hostIp === facts.hostIp;
    const summary = `${facts.vcpus} vCPU, ${Math.round(facts.memoryMb / 1024)} GiB RAM, ${facts.diskGb} GB disk, ${facts.cpuModel || 'unknown CPU'}, virt type ${facts.virtType}`;
    if (same) return { changed: false, summary };
    this.d.db
      .prepare('UPDATE hosts SET vcpus = ?, memory_mb = ?, disk_gb = ?, cpu_model = ?, virt_type = ?, hypervisor_type = ?, hypervisor_version = ?, host_ip = ?, updated_at = ? WHERE id = ?')
      .run(facts.vcpus, facts.memoryMb, facts.diskGb, facts.cpuModel, facts.virtType, facts.hypervisorType, facts.hypervisorVersion, facts.hostIp, nowIso(), hostId);
    this.d.changed(hostId);
    return { changed: true, summary };
  }

  private track(hostId: string, taskId: string, done: Promise<TaskView>): void {
    this.busy.set(hostId, taskId);
    // the task's own failure is recorded on the task; here it only must not become an unhandled rejection
    void done
      .catch((err: unknown) => this.d.log.debug({ err, hostId, taskId }, 'host task ended with an error'))
      .finally(() => {
        if (this.busy.get(hostId) === taskId) this.busy.delete(hostId);
      });
  }

  private libvirtHost(hostId: string): HostView {
    const host = this.d.get(hostId);
    if (host.driver !== 'libvirt') throw new DeskError('BadRequest', `Host ${host.name} is a demo-rack host; only real hosts are preflighted and provisioned.`);
    return host;
  }
}
