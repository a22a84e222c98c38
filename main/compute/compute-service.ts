// Nova's semantics for DeskStack: flavors, key pairs, servers and their lifecycle, quotas,
// server groups, instance actions, and the hypervisor/service views of the hosts.
import type { RequestContext } from '../core/context';
import { badRequest } from '../core/errors';
import type { TaskView } from '../core/events';
import { POWER_STATE_CODE } from '../drivers/types';
import type { ComputeCore, ComputeDeps } from './compute-deps';
import { FlavorStore } from './flavors';
import { getProxiedNetwork, listProxiedNetworks, type ProxiedNetwork } from './network-proxy';
import { addToServer, getGroup, listGroups, removeFromServer, serverGroups, type SecurityGroupView } from './security-groups';
import { ImageProxy } from './image-proxy';
import { listHypervisors } from './hypervisors';
import { InstanceActionLog, type ActionListOptions } from './instance-actions';
import { KeypairStore } from './keypairs';
import { QuotaStore } from './quotas';
import { reconcileServers, syncHostPowerStates, syncPowerStates, type UnknownDomains } from './reconcile';
import { createServers, type CreateServerInput, type CreateServerResult } from './server-create';
import { ServerGroupStore } from './server-groups';
import { deleteMetadataItem, getMetadata, getMetadataItem, setMetadata } from './server-metadata';
import { consoleOutput, deleteServer, rebootServer, startServer, stopServer } from './server-ops';
import { rebuildServer, type RebuildServerInput, type RebuildServerResult } from './server-rebuild';
import { ServerStore } from './server-store';
import { updatePatch } from './server-update';
import { ServerTags } from './server-tags';
import { VM } from './states';
import type { HypervisorView, InstanceActionView, ServerListFilter, ServerUpdate, ServerView } from './types';

export class ComputeService {
  readonly flavors: FlavorStore;
  readonly keypairs: KeypairStore;
  readonly quotas: QuotaStore;
  readonly groups: ServerGroupStore;
  readonly actions: InstanceActionLog;
  readonly tags: ServerTags;
  /** Nova's /images proxy to the image service (before 2.36). */
  readonly imageProxy: ImageProxy;
  private readonly store: ServerStore;
  private readonly core: ComputeCore;
  private readonly unknownDomains: UnknownDomains = new Map();
  private syncTimer: NodeJS.Timeout | null = null;
  private syncing: Promise<unknown> | null = null;
  private offHealth: (() => void) | null = null;

  constructor(private readonly deps: ComputeDeps) {
    const { db, bus, hosts } = deps;
    this.quotas = new QuotaStore(db, bus);
    this.flavors = new FlavorStore(db, bus);
    this.keypairs = new KeypairStore(db, bus, this.quotas);
    this.groups = new ServerGroupStore(db, bus, this.quotas);
    this.actions = new InstanceActionLog(db);
    this.store = new ServerStore(db, bus, (hostId) => {
      try {
        const h = hosts.get(hostId);
        return { name: h.name, unreachable: h.state === 'down' };
      } catch {
        return null;
      }
    });
    this.tags = new ServerTags(db, bus, this.store);
    this.imageProxy = new ImageProxy(deps.images, this.quotas);
    this.core = { ...deps, servers: this.store, flavors: this.flavors, keypairs: this.keypairs, quotas: this.quotas, groups: this.groups, actions: this.actions, running: new Map() };
    // DeskStack ships the m1.* flavors (Nova ships none), so a fresh cloud can boot at once.
    this.ensureDefaultFlavors();
  }

  ensureDefaultFlavors(): void {
    this.flavors.ensureDefaults();
  }

  // --- servers ---

  /** Resolves once every row is written and every build started (large requests yield between chunks). */
  createServers(ctx: RequestContext, input: CreateServerInput): Promise<CreateServerResult> {
    return createServers(this.core, ctx, input);
  }

  getServer(ctx: RequestContext, id: string): ServerView {
    return this.store.get(ctx, id);
  }

  listServers(ctx: RequestContext, filter: ServerListFilter = {}): ServerView[] {
    if (filter.hostName !== undefined) {
      const host = this.deps.hosts.findByName(filter.hostName);
      if (!host) return [];
      filter = { ...filter, hostId: host.id };
    }
    return this.store.list(ctx, filter);
  }

  updateServer(ctx: RequestContext, id: string, patch: ServerUpdate): ServerView {
    const row = this.store.visibleRow(ctx, id);
    if (row.locked === 1 && !ctx.isAdmin) throw badRequest(`Instance ${id} is locked`);
    this.store.update(id, updatePatch(patch));
    return this.store.get(ctx, id);
  }

  /** The password the guest left for os-server-password ('' when none; DeskStack has no metadata service to receive one yet). */
  serverPassword(ctx: RequestContext, id: string): string {
    return this.store.visibleRow(ctx, id).password;
  }

  /** Clears it, as Nova's DELETE os-server-password does (the guest's password itself is unchanged). */
  clearServerPassword(ctx: RequestContext, id: string): void {
    this.store.visibleRow(ctx, id);
    this.store.update(id, { password: '' });
  }

  deleteServer(ctx: RequestContext, id: string): void {
    deleteServer(this.core, ctx, id);
  }

  startServer(ctx: RequestContext, id: string): void {
    startServer(this.core, ctx, id);
  }

  stopServer(ctx: RequestContext, id: string): void {
    stopServer(this.core, ctx, id);
  }

  rebootServer(ctx: RequestContext, id: string, kind: 'SOFT' | 'HARD'): void {
    rebootServer(this.core, ctx, id, kind);
  }

  /** Nova's rebuild: accepted at once (status REBUILD), then run as a task; the result has the password handed to the guest. */
  rebuildServer(ctx: RequestContext, id: string, input: RebuildServerInput): RebuildServerResult {
    return rebuildServer(this.core, ctx, id, input);
  }

  /** Admin's os-resetState: force vm_state active or error and clear the task state. */
  resetState(ctx: RequestContext, id: string, state: 'active' | 'error'): void {
    this.store.visibleRow(ctx, id);
    this.store.update(id, { vm_state: state, task_state: null });
  }

  /** A server including deleted ones (its action log stays readable), still project-scoped. */
  getServerAnyState(ctx: RequestContext, id: string): ServerView {
    const row = this.store.row(id);
    if (!row || (row.project_id !== ctx.projectId && !ctx.isAdmin)) return this.store.get(ctx, id);
    return this.store.views([row])[0];
  }

  lockServer(ctx: RequestContext, id: string, locked: boolean): void {
    this.store.visibleRow(ctx, id);
    this.store.update(id, { locked: locked ? 1 : 0 });
  }

  consoleOutput(ctx: RequestContext, id: string, lines?: number): Promise<string> {
    return consoleOutput(this.core, ctx, id, lines);
  }

  /** Settles when the server's current task (build, power action, delete) ends; for tests and the UI. */
  async settled(id: string): Promise<void> {
    for (let entry = this.core.running.get(id); entry; entry = this.core.running.get(id)) await entry.done;
  }

  // --- security groups (the project's default only) and the os-networks proxy ---

  securityGroups(ctx: RequestContext): SecurityGroupView[] {
    return listGroups(ctx);
  }

  securityGroup(ctx: RequestContext, id: string): SecurityGroupView {
    return getGroup(ctx, id);
  }

  serverSecurityGroups(ctx: RequestContext, id: string): SecurityGroupView[] {
    return serverGroups(this.store, ctx, id);
  }

  addSecurityGroup(ctx: RequestContext, id: string, name: string): void {
    addToServer(this.store, ctx, id, name);
  }

  removeSecurityGroup(ctx: RequestContext, id: string, name: string): void {
    removeFromServer(this.store, ctx, id, name);
  }

  proxiedNetworks(ctx: RequestContext): ProxiedNetwork[] {
    return listProxiedNetworks(this.deps.networks, ctx);
  }

  proxiedNetwork(ctx: RequestContext, id: string): ProxiedNetwork {
    return getProxiedNetwork(this.deps.networks, ctx, id);
  }

  // --- metadata ---

  getMetadata(ctx: RequestContext, id: string): Record<string, string> {
    return getMetadata(this.core, ctx, id);
  }

  getMetadataItem(ctx: RequestContext, id: string, key: string): string {
    return getMetadataItem(this.core, ctx, id, key);
  }

  setMetadata(ctx: RequestContext, id: string, items: Record<string, string>, replace: boolean): Record<string, string> {
    return setMetadata(this.core, ctx, id, items, replace);
  }

  deleteMetadataItem(ctx: RequestContext, id: string, key: string): void {
    deleteMetadataItem(this.core, ctx, id, key);
  }

  // --- instance actions ---

  /** A server's actions; a deleted server keeps its log, which Nova shows from 2.21 (`ofDeleted`). */
  listActions(ctx: RequestContext, id: string, opts: ActionListOptions = {}, ofDeleted = true): InstanceActionView[] {
    this.actionServer(ctx, id, ofDeleted);
    if (opts.changesSince && opts.changesBefore && opts.changesSince > opts.changesBefore) {
      throw badRequest('The value of changes-since must be less than or equal to changes-before.');
    }
    return this.actions.list(id, opts);
  }

  getAction(ctx: RequestContext, id: string, requestId: string, ofDeleted = true): InstanceActionView {
    this.actionServer(ctx, id, ofDeleted);
    return this.actions.get(id, requestId);
  }

  private actionServer(ctx: RequestContext, id: string, ofDeleted: boolean): void {
    const row = this.store.row(id);
    if (!row || (row.project_id !== ctx.projectId && !ctx.isAdmin) || (row.deleted === 1 && !ofDeleted)) this.store.visibleRow(ctx, id);
  }

  // --- hosts as Nova sees them ---

  hypervisors(): HypervisorView[] {
    return listHypervisors(this.deps.db, this.deps.hosts, this.deps.scheduler);
  }

  /** The hypervisor's `uptime` line; Nova's 400 when its host does not answer. */
  async hypervisorUptime(hostId: string): Promise<string> {
    const host = this.deps.hosts.get(hostId);
    if (host.state === 'down') throw badRequest(`Compute service of ${host.name} is unavailable at this time.`);
    return this.deps.hosts.driverFor(hostId).uptime({ signal: AbortSignal.timeout(30_000) });
  }

  /** Names of the availability zones that have at least one enabled host. */
  availabilityZones(): Array<{ name: string; available: boolean; hosts: HypervisorView[] }> {
    const zones = new Map<string, HypervisorView[]>();
    for (const h of this.hypervisors()) zones.set(h.availabilityZone, [...(zones.get(h.availabilityZone) ?? []), h]);
    return [...zones.entries()].map(([name, hosts]) => ({ name, available: hosts.some((h) => h.status === 'enabled' && h.state === 'up'), hosts }));
  }

  // --- a host going away (HostService.remove calls these through its HostServerPort) ---

  /** Live servers placed on a host. */
  serversOnHost(hostId: string): Array<{ id: string; name: string }> {
    return this.deps.db.prepare('SELECT id, name FROM servers WHERE host_id = ? AND deleted = 0 ORDER BY created_at, id').all(hostId) as Array<{ id: string; name: string }>;
  }

  /** Live servers on the host go to ERROR with `reason` as their fault; every row (deleted ones too) and allocation lets go of the host. */
  releaseHost(hostId: string, reason: string): void {
    const rows = this.deps.db.prepare('SELECT id, deleted FROM servers WHERE host_id = ?').all(hostId) as Array<{ id: string; deleted: number }>;
    for (const r of rows) {
      // A build or action still running would otherwise write its result over the ERROR below.
      const running = this.core.running.get(r.id);
      if (running) this.deps.tasks.cancel(running.taskId);
      this.deps.scheduler.release(r.id);
      if (r.deleted === 0) {
        this.store.setFault(r.id, 500, reason, '', `The host of instance ${r.id} was removed; delete the server.`);
        this.store.update(r.id, { vm_state: VM.ERROR, task_state: null, power_state: POWER_STATE_CODE.nostate, host_id: null });
      }
    }
    // Deleted rows stay for the action log; nobody watches them, so no event.
    this.deps.db.prepare('UPDATE servers SET host_id = NULL WHERE host_id = ? AND deleted = 1').run(hostId);
  }

  // --- life of the service ---

  async reconcile(interrupted: TaskView[]): Promise<void> {
    await reconcileServers(this.core, interrupted, this.unknownDomains);
  }

  /** Domains hosts run that no server owns (reported by power sync, never deleted). */
  strayDomains(): Array<{ hostId: string; id: string; powerState: string }> {
    return [...this.unknownDomains].flatMap(([hostId, list]) => list.map((i) => ({ hostId, id: i.id, powerState: i.powerState })));
  }

  /** Runs one power sync over every host now (what the periodic sync does). */
  async syncNow(): Promise<void> {
    await this.syncing;
    await syncPowerStates(this.core, this.unknownDomains);
  }

  /**
   * Keeps the database in step with the hosts: a power sync every intervalMs, and one for a host
   * as soon as it answers again after being down.
   */
  startPowerSync(intervalMs = Number(process.env.DESKSTACK_POWER_SYNC_MS ?? 60_000)): void {
    if (this.syncTimer) return;
    const run = (hostId?: string) => {
      if (this.syncing) return;
      this.syncing = (hostId ? syncHostPowerStates(this.core, hostId, this.unknownDomains) : syncPowerStates(this.core, this.unknownDomains))
        .catch((e) => this.core.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'power state sync failed'))
        .finally(() => (this.syncing = null));
    };
    this.syncTimer = setInterval(run, intervalMs);
    this.syncTimer.unref();
    this.offHealth = this.deps.bus.subscribe((e) => {
      if (e.type === 'host.health' && e.state === 'up') run(e.hostId);
    });
  }

  async stop(): Promise<void> {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = null;
    this.offHealth?.();
    await this.syncing;
    // Tasks were aborted by the control plane; wait for them to unwind before the DB closes.
    await Promise.all([...this.core.running.values()].map((r) => r.done));
  }
}
