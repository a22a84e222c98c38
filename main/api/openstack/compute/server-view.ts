// A ServerView in Nova's JSON, shaped by microversion and by who asks (admin-only attributes).
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ServerView } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';
import { atLeast } from './microversion';
import { bookmark, isoZ, links, novaTime } from './links';
import { visibleFault } from '../../../compute/fault-view';

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);

/** Nova's hostId: an opaque per-project hash of the host, so tenants can tell co-location without learning host names. */
export const hostIdHash = (projectId: string, hostName: string | null): string =>
  hostName ? createHash('sha224').update(projectId + hostName).digest('hex') : '';

/** The addresses by network; `extended` adds Nova's OS-EXT-IPS type and MAC (left out of pre-2.75 update responses). */
export function renderAddresses(s: ServerView, extended = true): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const a of s.addresses) {
    (out[a.networkName] ??= []).push(extended ? { version: a.version, addr: a.addr, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': a.mac } : { version: a.version, addr: a.addr });
  }
  return out;
}

function hostStatus(cp: ControlPlane, s: ServerView): string {
  if (!s.hostId) return '';
  try {
    const h = cp.hosts.get(s.hostId);
    if (!h.enabled) return 'MAINTENANCE';
    // Nova says UNKNOWN (not DOWN) when a compute host stops reporting; DOWN is for a forced-down service.
    return h.state === 'up' ? 'UP' : 'UNKNOWN';
  } catch {
    return 'UNKNOWN';
  }
}

export function renderServerBrief(req: FastifyRequest, cp: ControlPlane, s: ServerView): Record<string, unknown> {
  return { id: s.id, name: s.name, links: links(req, cp, `servers/${s.id}`) };
}

export interface RenderOptions {
  /** GET /servers/{id} (server_groups from 2.71). */
  show?: boolean;
  /** A PUT /servers/{id} response: before 2.75 Nova leaves out the extension attributes. */
  update?: boolean;
}

export function renderServer(req: FastifyRequest, cp: ControlPlane, s: ServerView, opts: RenderOptions = {}): Record<string, unknown> {
  const ctx = authOf(req);
  const all = !opts.update || atLeast(req, '2.75');
  const out: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: s.metadata,
    hostId: hostIdHash(s.projectId, s.hostName),
    image: s.imageId ? { id: s.imageId, links: bookmark(req, cp, `images/${s.imageId}`) } : '',
    flavor: atLeast(req, '2.47')
      ? { vcpus: s.flavor.vcpus, ram: s.flavor.ram, disk: s.flavor.disk, ephemeral: s.flavor.ephemeral, swap: s.flavor.swap, original_name: s.flavor.name, extra_specs: s.flavor.extraSpecs }
      : { id: s.flavorId, links: bookmark(req, cp, `flavors/${s.flavorId}`) },
    created: isoZ(s.createdAt),
    updated: isoZ(s.updatedAt),
    addresses: renderAddresses(s, all),
    accessIPv4: s.accessIPv4,
    accessIPv6: s.accessIPv6,
    links: links(req, cp, `servers/${s.id}`),
    'OS-DCF:diskConfig': s.diskConfig,
  };
  if (PROGRESS_STATUSES.has(s.status)) out.progress = s.progress;
  if (s.fault && (s.status === 'ERROR' || s.status === 'DELETED')) {
    const v = visibleFault(s.id, s.fault, ctx.isAdmin);
    const f: Record<string, unknown> = { code: v.code, created: isoZ(v.created), message: v.message };
    // Nova's view: details only for admins or non-500 faults, and only when there are any.
    if (v.details) f.details = v.details;
    out.fault = f;
  }
  if (all) Object.assign(out, extensionAttributes(req, s));
  // 2.90 shows the hostname to everyone; admins get it with the other server attributes.
  if (atLeast(req, '2.90') && !(all && ctx.isAdmin)) out['OS-EXT-SRV-ATTR:hostname'] = s.hostname;
  if (atLeast(req, '2.9')) out.locked = s.locked;
  if (atLeast(req, '2.16') && ctx.isAdmin && all) out.host_status = hostStatus(cp, s);
  if (atLeast(req, '2.19')) out.description = s.description;
  if (atLeast(req, '2.26')) out.tags = s.tags;
  if (atLeast(req, '2.63')) out.trusted_image_certificates = null;
  if (atLeast(req, '2.73')) out.locked_reason = null;
  if (opts.show && atLeast(req, '2.71')) out.server_groups = s.serverGroupId ? [s.serverGroupId] : [];
  return out;
}

/** The attributes of Nova's old extensions (availability zone, config drive, key, usage, security groups, states, volumes, server attributes). */
function extensionAttributes(req: FastifyRequest, s: ServerView): Record<string, unknown> {
  const ctx = authOf(req);
  const out: Record<string, unknown> = {
    'OS-EXT-AZ:availability_zone': s.availabilityZone ?? '',
    config_drive: s.configDrive,
    key_name: s.keyName,
    'OS-SRV-USG:launched_at': novaTime(s.launchedAt),
    'OS-SRV-USG:terminated_at': novaTime(s.terminatedAt),
  };
  // Nova lists the groups of the server's ports, so a server without a network shows none.
  if (s.networks.length && s.securityGroups.length) out.security_groups = s.securityGroups.map((name) => ({ name }));
  Object.assign(out, { 'OS-EXT-STS:task_state': s.taskState, 'OS-EXT-STS:vm_state': s.vmState, 'OS-EXT-STS:power_state': s.powerState, 'os-extended-volumes:volumes_attached': [] });
  if (ctx.isAdmin) {
    out['OS-EXT-SRV-ATTR:host'] = s.hostName;
    out['OS-EXT-SRV-ATTR:hypervisor_hostname'] = s.hostName;
    out['OS-EXT-SRV-ATTR:instance_name'] = `instance-${s.internalId.toString(16).padStart(8, '0')}`;
    if (atLeast(req, '2.3')) {
      Object.assign(out, {
        'OS-EXT-SRV-ATTR:reservation_id': s.reservationId,
        'OS-EXT-SRV-ATTR:launch_index': s.launchIndex,
        'OS-EXT-SRV-ATTR:kernel_id': '',
        'OS-EXT-SRV-ATTR:ramdisk_id': '',
        'OS-EXT-SRV-ATTR:hostname': s.hostname,
        'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
        'OS-EXT-SRV-ATTR:user_data': s.userData,
      });
    }
  }
  return out;
}
