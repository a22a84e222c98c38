// POST /servers semantics: resolve flavor, image, key, networks and group; check quotas in the
// same transaction that inserts the rows; then start one build task per server.
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../core/context';
import { badRequest, conflict, DeskError, forbidden, overQuota } from '../core/errors';
import { newUuid, nowIso } from '../core/ids';
import type { ComputeCore } from './compute-deps';
import { startBuild } from './server-build';
import { TASK, VM } from './states';
import type { EmbeddedFlavor, ServerView } from './types';

export interface NetworkRequest {
  uuid?: string;
  port?: string;
  fixedIp?: string;
}

export interface CreateServerInput {
  name: string;
  imageRef: string;
  flavorRef: string;
  minCount?: number;
  maxCount?: number;
  /** Base64, as the API takes it. */
  userData?: string;
  metadata?: Record<string, string>;
  keyName?: string;
  availabilityZone?: string;
  /** Omitted: the one network the project can use (before 2.37). */
  networks?: 'auto' | 'none' | NetworkRequest[];
  groupId?: string;
  description?: string | null;
  configDrive?: boolean;
}

export interface CreateServerResult {
  reservationId: string;
  servers: ServerView[];
  adminPass: string;
}

/** The last path segment of an href, or the value itself (Nova accepts both for imageRef/flavorRef). */
const refId = (ref: string): string => (ref.includes('/') ? ref.replace(/\/+$/, '').split('/').pop() ?? ref : ref);

const GIB = 1024 ** 3;
export const MAX_USER_DATA_BYTES = 65535;

/** Nova's hostname sanitising of display names. */
export function hostnameFor(name: string): string {
  const h = name
    .toLowerCase()
    .replace(/[ _.]/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return h || 'server';
}

interface ResolvedNet {
  id: string;
  name: string;
  hostNetwork: string;
  cidr: string;
}

function resolveNetworks(core: ComputeCore, ctx: RequestContext, req: CreateServerInput['networks']): ResolvedNet[] {
  const full = (id: string, name: string, hostNetwork: string): ResolvedNet => {
    const cidr = core.networks.get(ctx, id).cidr ?? '192.168.122.0/24';
    return { id, name, hostNetwork, cidr };
  };
  if (req === 'none') return [];
  if (req === undefined || req === 'auto') {
    const visible = core.networks.list(ctx, {}).networks.filter((n) => !n['router:external']);
    if (req === undefined) {
      if (visible.length > 1) throw conflict('Multiple possible networks found, use a Network ID to be more specific.');
      if (visible.length === 0) return [];
    }
    const pick = visible.find((n) => n.project_id === ctx.projectId) ?? visible.find((n) => n.shared);
    if (!pick) throw badRequest(`Unable to automatically allocate a network for project ${ctx.projectId}`);
    const b = core.networks.resolveForBoot(ctx, pick.id);
    return [full(b.id, b.name, b.hostNetwork)];
  }
  return req.map((n) => {
    if (n.port) throw badRequest(`Port ${n.port} could not be found.`);
    if (n.fixedIp) throw badRequest('Requesting a specific fixed_ip is not supported by DeskStack; omit fixed_ip to get one from the network.');
    let b;
    try {
      b = core.networks.resolveForBoot(ctx, n.uuid ?? '');
    } catch (e) {
      if (e instanceof DeskError && e.code === 'NotFound') throw badRequest(`Network ${n.uuid} could not be found.`);
      throw e;
    }
    return full(b.id, b.name, b.hostNetwork);
  });
}

function checkUserData(userData: string | undefined): void {
  if (userData === undefined) return;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(userData) || userData.length % 4 !== 0) throw badRequest('User data needs to be valid base 64.');
  if (Buffer.from(userData, 'base64').length > MAX_USER_DATA_BYTES) throw badRequest(`User data too large. User data must be no larger than ${MAX_USER_DATA_BYTES} bytes once base64 decoded.`);
}

export function createServers(core: ComputeCore, ctx: RequestContext, input: CreateServerInput): CreateServerResult {
  const minCount = input.minCount ?? 1;
  const maxCount = input.maxCount ?? minCount;
  if (minCount > maxCount) throw badRequest('min_count must be <= max_count');
  const flavor = core.flavors.find(refId(input.flavorRef));
  if (!flavor || flavor.id !== refId(input.flavorRef)) throw badRequest('Invalid flavorRef provided.');
  if (flavor.disabled) throw badRequest('Flavor is disabled.');

  let image;
  try {
    image = core.images.getForBoot(ctx, refId(input.imageRef));
  } catch (e) {
    if (e instanceof DeskError && e.code === 'NotFound') throw badRequest('Can not find requested image');
    throw e;
  }
  if (flavor.disk > 0) {
    if (image.minDisk > flavor.disk)
      throw badRequest(`Flavor's disk is too small for requested image. Flavor disk is ${flavor.disk * GIB} bytes, minimum size is ${image.minDisk * GIB} bytes.`);
    if (image.size > flavor.disk * GIB)
      throw badRequest(`Flavor's disk is too small for requested image. Flavor disk is ${flavor.disk * GIB} bytes, image is ${image.size} bytes.`);
  }
  if (image.minRam > flavor.ram) throw badRequest("Flavor's memory is too small for requested image.");

  if (input.keyName !== undefined && !core.keypairs.find(ctx.userId, input.keyName)) throw badRequest('Invalid key_name provided.');
  checkUserData(input.userData);

  const metadata = input.metadata ?? {};
  const metaLimit = core.quotas.limit(ctx.projectId, 'metadata_items');
  if (metaLimit >= 0 && Object.keys(metadata).length > metaLimit) throw overQuota(`Maximum number of metadata items exceeds ${metaLimit}`);

  if (input.availabilityZone !== undefined) {
    // Nova's "zone:host" form pins a host, and only an admin may ask for that.
    const [zone, host] = input.availabilityZone.split(':');
    if (host !== undefined && !ctx.isAdmin) throw forbidden("Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.");
    const zones = new Set(core.hosts.list().map((h) => h.availabilityZone));
    if (!zones.has(zone)) throw badRequest('The requested availability zone is not available');
    if (host && !core.hosts.findByName(host)) throw badRequest(`Compute host ${host} could not be found.`);
  }
  const nets = resolveNetworks(core, ctx, input.networks);

  let groupId: string | null = null;
  if (input.groupId !== undefined) {
    try {
      groupId = core.groups.get(ctx, input.groupId).id;
    } catch (e) {
      if (e instanceof DeskError && e.code === 'NotFound') throw badRequest(`Invalid server group ${input.groupId}: it could not be found.`);
      throw e;
    }
  }

  const embedded: EmbeddedFlavor = {
    id: flavor.id,
    name: flavor.name,
    vcpus: flavor.vcpus,
    ram: flavor.ram,
    disk: flavor.disk,
    ephemeral: flavor.ephemeral,
    swap: flavor.swap,
    extraSpecs: flavor.extraSpecs,
  };
  const reservationId = `r-${randomBytes(4).toString('hex').slice(0, 8)}`;
  const ids: string[] = [];
  const insert = core.db.prepare(
    `INSERT INTO servers (id, project_id, user_id, name, vm_state, task_state, power_state, flavor_id, flavor, image_id, key_name, user_data,
       networks, addresses, availability_zone, server_group_id, reservation_id, launch_index, config_drive, description, created_at, updated_at)
     VALUES (@id, @project, @user, @name, @vm, @task, 0, @flavorId, @flavor, @image, @key, @userData, @networks, '[]', @az, @group, @reservation, @index, @configDrive, @description, @now, @now)`,
  );
  const insertMeta = core.db.prepare('INSERT INTO server_metadata (server_id, key, value) VALUES (?, ?, ?)');
  const actionIds = new Map<string, number>();
  core.db
    .transaction(() => {
      const count = core.quotas.allowedServers(ctx.projectId, flavor.vcpus, flavor.ram, minCount, maxCount);
      if (groupId) core.groups.checkMembers(ctx.projectId, groupId, count);
      const now = nowIso();
      for (let i = 0; i < count; i++) {
        const id = newUuid();
        ids.push(id);
        insert.run({
          id,
          project: ctx.projectId,
          user: ctx.userId,
          name: count > 1 ? `${input.name}-${i + 1}` : input.name,
          vm: VM.BUILDING,
          task: TASK.SCHEDULING,
          flavorId: flavor.id,
          flavor: JSON.stringify(embedded),
          image: image.id,
          key: input.keyName ?? null,
          userData: input.userData ?? null,
          networks: JSON.stringify(nets.map((n) => ({ id: n.id, name: n.name, hostNetwork: n.hostNetwork, cidr: n.cidr }))),
          az: input.availabilityZone ?? null,
          group: groupId,
          reservation: reservationId,
          index: i,
          configDrive: input.configDrive ? 'True' : '',
          description: input.description ?? null,
          now,
        });
        for (const [k, v] of Object.entries(metadata)) insertMeta.run(id, k, v);
        actionIds.set(id, core.actions.start(id, 'create', ctx));
      }
    })
    .immediate();

  for (const id of ids) core.bus.resource('server', id, ctx.projectId, 'created');
  // Views first: the caller sees the servers as created (BUILD/scheduling), before the builds move them on.
  const servers = core.servers.views(ids.map((id) => core.servers.row(id)!));
  for (const id of ids) startBuild(core, id, actionIds.get(id)!, image);
  return { reservationId, servers, adminPass: randomBytes(9).toString('base64url').slice(0, 12) };
}
