// The checks POST /servers makes before anything is written, in Nova's order and words: flavor,
// image against flavor, key, user data, metadata, zone or host, networks, security groups, group.
import type { RequestContext } from '../core/context';
import { badRequest, conflict, DeskError, forbidden, overQuota } from '../core/errors';
import type { KeySpec } from '../drivers/types';
import type { BootImage } from '../image/image-types';
import { parseZoneRequest } from '../scheduler/zone-request';
import type { ComputeCore } from './compute-deps';
import { checkGroupNames, DEFAULT_GROUP } from './security-groups';
import type { CreateServerInput } from './server-create';
import type { EmbeddedFlavor } from './types';

export interface ResolvedNet {
  id: string;
  name: string;
  hostNetwork: string;
  cidr: string;
}

/** Everything the rows of one create need, checked. */
export interface CreatePlan {
  flavor: EmbeddedFlavor;
  image: BootImage;
  /** The key pair asked for, as the guest gets it. */
  key: KeySpec | null;
  metadata: Record<string, string>;
  nets: ResolvedNet[];
  zone: string | null;
  /** A forced (zone:host, zone:host:node) or requested (2.74 host/hypervisor_hostname) host's name. */
  host: string | null;
  securityGroups: string[];
  tags: string[];
  groupId: string | null;
}

const GIB = 1024 ** 3;
export const MAX_USER_DATA_BYTES = 65535;

/** The last path segment of an href, or the value itself (Nova accepts both for imageRef/flavorRef). */
const refId = (ref: string): string => (ref.includes('/') ? ref.replace(/\/+$/, '').split('/').pop() ?? ref : ref);

export function planCreate(core: ComputeCore, ctx: RequestContext, input: CreateServerInput, maxCount: number): CreatePlan {
  const f = core.flavors.find(refId(input.flavorRef));
  if (!f || f.id !== refId(input.flavorRef)) throw badRequest('Invalid flavorRef provided.');
  if (f.disabled) throw badRequest('Flavor is disabled.');
  const flavor: EmbeddedFlavor = { id: f.id, name: f.name, vcpus: f.vcpus, ram: f.ram, disk: f.disk, ephemeral: f.ephemeral, swap: f.swap, extraSpecs: f.extraSpecs };
  if (input.hostname !== undefined && maxCount > 1) throw badRequest('Unable to allocate a single hostname to multiple instances');

  const image = bootImage(core, ctx, refId(input.imageRef), 'Can not find requested image');
  checkImageFits(flavor, image);
  const key = input.keyName === undefined ? null : keyOf(core, ctx, input.keyName);
  checkUserData(input.userData);

  const metadata = input.metadata ?? {};
  checkMetadataQuota(core, ctx.projectId, metadata);

  const { zone, host } = placementRequest(core, ctx, input);
  const nets = resolveNetworks(core, ctx, input.networks);
  return { flavor, image, key, metadata, nets, zone, host, securityGroups: securityGroups(input.securityGroups), tags: [...new Set(input.tags ?? [])], groupId: groupOf(core, ctx, input.groupId) };
}

/** The image to boot from, if the caller may use it; `notFound` is the 400's message when it may not. */
export function bootImage(core: ComputeCore, ctx: RequestContext, id: string, notFound: string): BootImage {
  try {
    return core.images.getForBoot(ctx, id);
  } catch (e) {
    if (e instanceof DeskError && e.code === 'NotFound') throw badRequest(notFound);
    throw e;
  }
}

/** The caller's key pair of that name (Nova looks keys up for the requesting user, who may not own the server). */
export function keyOf(core: ComputeCore, ctx: RequestContext, name: string): KeySpec {
  const kp = core.keypairs.find(ctx.userId, name);
  if (!kp) throw badRequest('Invalid key_name provided.');
  return { name: kp.name, type: kp.type, publicKey: kp.publicKey };
}

/** Nova's _validate_flavor_image_nostatus: RAM first, then the image's size, then its min_disk (a 0 GB flavor disk is not checked). */
export function checkImageFits(flavor: EmbeddedFlavor, image: BootImage): void {
  if (image.minRam > flavor.ram) throw badRequest("Flavor's memory is too small for requested image.");
  const dest = flavor.disk * GIB;
  if (dest === 0) return;
  if (image.size > dest) throw badRequest(`Flavor's disk is too small for requested image. Flavor disk is ${dest} bytes, image is ${image.size} bytes.`);
  if (image.minDisk * GIB > dest) {
    throw badRequest(`Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${dest} bytes, minimum size is ${image.minDisk * GIB} bytes.`);
  }
}

/** Nova's _check_metadata_properties_quota: a server's metadata items against the project's metadata_items. */
export function checkMetadataQuota(core: ComputeCore, projectId: string, metadata: Record<string, string>): void {
  const limit = core.quotas.limit(projectId, 'metadata_items');
  if (limit >= 0 && Object.keys(metadata).length > limit) throw overQuota(`Maximum number of metadata items exceeds ${limit}`);
}

export function checkUserData(userData: string | undefined): void {
  if (userData === undefined) return;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(userData) || userData.length % 4 !== 0) throw badRequest('User data needs to be valid base 64.');
  if (Buffer.from(userData, 'base64').length > MAX_USER_DATA_BYTES) throw badRequest(`User data too large. User data must be no larger than ${MAX_USER_DATA_BYTES} bytes once base64 decoded.`);
}

/**
 * The zone and host a create asks for. Nova's host forms are admin-only: "zone:host[:node]" is a
 * forced host (create:forced_host), 2.74's host/hypervisor_hostname a requested destination.
 */
function placementRequest(core: ComputeCore, ctx: RequestContext, input: CreateServerInput): { zone: string | null; host: string | null } {
  const want = parseZoneRequest(input.availabilityZone);
  const forced = want.host ?? want.node;
  if (forced !== null && !ctx.isAdmin) throw forbidden("Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.");
  const requested = input.host ?? input.hypervisorHostname ?? null;
  if (requested !== null) {
    if (!ctx.isAdmin) throw forbidden("Policy doesn't allow compute:servers:create:requested_destination to be performed.");
    if (forced !== null) throw badRequest('One mechanism with host and/or hypervisor_hostname and another mechanism with zone:host:node are mutually exclusive.');
  }
  // One node per host, named like it: a node and a host that differ name no machine.
  const named = [want.host, want.node, input.host, input.hypervisorHostname].filter((h): h is string => !!h);
  for (const h of named) if (!core.hosts.findByName(h) || h !== named[0]) throw badRequest(`Compute host ${h} could not be found.`);
  const host = named[0] ?? null;
  let zone = want.zone;
  if (zone !== null && host === null && !core.hosts.list().some((h) => h.availabilityZone === zone)) throw badRequest('The requested availability zone is not available');
  // Like Nova (bug 1934770): a forced host outside the asked-for zone keeps its own zone.
  if (host !== null && zone !== null && core.hosts.findByName(host)?.availabilityZone !== zone) zone = null;
  return { zone, host };
}

/** The distinct names asked for (Nova drops empty ones); the project's default when none were. */
function securityGroups(names: string[] | undefined): string[] {
  const wanted = [...new Set((names ?? [DEFAULT_GROUP]).filter((n) => n !== ''))];
  checkGroupNames(wanted);
  return wanted;
}

function groupOf(core: ComputeCore, ctx: RequestContext, groupId: string | undefined): string | null {
  if (groupId === undefined) return null;
  try {
    return core.groups.get(ctx, groupId).id;
  } catch (e) {
    if (e instanceof DeskError && e.code === 'NotFound') throw badRequest(`Invalid server group ${groupId}: it could not be found.`);
    throw e;
  }
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
