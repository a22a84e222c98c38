// /os-services (compute services per host plus the control plane's scheduler and conductor) and
// /os-availability-zone. Disabling a nova-compute service disables its host for scheduling.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HypervisorView } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { badRequest, DeskError } from '../../../core/errors';
import { nowIso } from '../../../core/ids';
import { novaTime } from './links';
import { atLeast } from './microversion';
import { queryOf, requireAdmin } from './policy';
import { novaParse } from './validate';

const CONTROL_HOST = 'deskstack';
const CONTROL_BINARIES = ['nova-scheduler', 'nova-conductor'];
const controlUuid = (binary: string): string => {
  const h = createHash('sha1').update(`control:${binary}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export function computeServiceId(req: FastifyRequest, h: HypervisorView): string | number {
  return atLeast(req, '2.53') ? h.serviceId : h.index + CONTROL_BINARIES.length;
}

interface ServiceRow {
  id: string | number;
  binary: string;
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  state: 'up' | 'down';
  updated_at: string | null;
  disabled_reason: string | null;
  forced_down?: boolean;
  hostId?: string;
}

function services(req: FastifyRequest, cp: ControlPlane): ServiceRow[] {
  const up = novaTime(nowIso());
  const rows: ServiceRow[] = CONTROL_BINARIES.map((binary, i) => ({
    id: atLeast(req, '2.53') ? controlUuid(binary) : i + 1,
    binary,
    host: CONTROL_HOST,
    zone: 'internal',
    status: 'enabled',
    state: 'up',
    updated_at: up,
    disabled_reason: null,
  }));
  for (const h of cp.compute.hypervisors()) {
    rows.push({ id: computeServiceId(req, h), binary: 'nova-compute', host: h.name, zone: h.availabilityZone, status: h.status, state: h.state, updated_at: novaTime(h.updatedAt), disabled_reason: h.disabledReason, hostId: h.hostId });
  }
  return rows.map((r) => (atLeast(req, '2.11') ? { ...r, forced_down: false } : r));
}

const render = ({ hostId: _h, ...rest }: ServiceRow) => rest;

export function registerServiceRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/os-services', async (req) => {
    requireAdmin(req, 'os_compute_api:os-services:list');
    const q = queryOf(req);
    return { services: services(req, cp).filter((s) => (q.host === undefined || s.host === q.host) && (q.binary === undefined || s.binary === q.binary)).map(render) };
  });

  const hostService = (host: string, binary: string) => {
    if (binary !== 'nova-compute') throw badRequest(`Service ${binary} on host ${host} can not be changed; only nova-compute services can be enabled or disabled.`);
    const h = cp.hosts.findByName(host);
    if (!h) throw new DeskError('NotFound', `Host ${host.slice(0, 255)} could not be found.`);
    return h;
  };
  const legacy = z.strictObject({ host: z.string().min(1).max(255), binary: z.string().min(1).max(255) });
  app.put('/os-services/enable', async (req) => {
    if (atLeast(req, '2.53')) throw new DeskError('NotFound', 'The resource could not be found.');
    requireAdmin(req, 'os_compute_api:os-services:update');
    const b = novaParse(legacy, req.body);
    cp.hosts.setEnabled(hostService(b.host, b.binary).id, true);
    return { service: { host: b.host, binary: b.binary, status: 'enabled' } };
  });
  app.put('/os-services/disable', async (req) => {
    if (atLeast(req, '2.53')) throw new DeskError('NotFound', 'The resource could not be found.');
    requireAdmin(req, 'os_compute_api:os-services:update');
    const b = novaParse(legacy, req.body);
    cp.hosts.setEnabled(hostService(b.host, b.binary).id, false);
    return { service: { host: b.host, binary: b.binary, status: 'disabled' } };
  });
  app.put('/os-services/disable-log-reason', async (req) => {
    if (atLeast(req, '2.53')) throw new DeskError('NotFound', 'The resource could not be found.');
    requireAdmin(req, 'os_compute_api:os-services:update');
    const b = novaParse(legacy.extend({ disabled_reason: z.string().min(1).max(255) }), req.body);
    cp.hosts.setEnabled(hostService(b.host, b.binary).id, false, b.disabled_reason);
    return { service: { host: b.host, binary: b.binary, status: 'disabled', disabled_reason: b.disabled_reason } };
  });
  app.put<{ Params: { id: string } }>('/os-services/:id', async (req) => {
    if (!atLeast(req, '2.53')) throw new DeskError('NotFound', 'The resource could not be found.');
    requireAdmin(req, 'os_compute_api:os-services:update');
    const b = novaParse(z.strictObject({ status: z.enum(['enabled', 'disabled']).optional(), disabled_reason: z.string().min(1).max(255).optional(), forced_down: z.boolean().optional() }), req.body);
    if (b.disabled_reason !== undefined && b.status !== 'disabled') throw badRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
    const svc = services(req, cp).find((s) => s.id === req.params.id);
    if (!svc) throw new DeskError('NotFound', `Service ${req.params.id.slice(0, 255)} could not be found.`);
    if (!svc.hostId) throw badRequest(`Service ${svc.binary} on host ${svc.host} can not be changed; only nova-compute services can be enabled or disabled.`);
    if (b.status !== undefined) cp.hosts.setEnabled(svc.hostId, b.status === 'enabled', b.disabled_reason);
    return { service: render(services(req, cp).find((s) => s.id === req.params.id)!) };
  });

  app.get('/os-availability-zone', async () => ({
    availabilityZoneInfo: cp.compute.availabilityZones().map((z) => ({ zoneName: z.name, zoneState: { available: z.available }, hosts: null })),
  }));
  app.get('/os-availability-zone/detail', async (req) => {
    requireAdmin(req, 'os_compute_api:os-availability-zone:detail');
    const up = novaTime(nowIso());
    const internal = {
      zoneName: 'internal',
      zoneState: { available: true },
      hosts: { [CONTROL_HOST]: Object.fromEntries(CONTROL_BINARIES.map((b) => [b, { available: true, active: true, updated_at: up }])) },
    };
    const zones = cp.compute.availabilityZones().map((z) => ({
      zoneName: z.name,
      zoneState: { available: z.available },
      hosts: Object.fromEntries(z.hosts.map((h) => [h.name, { 'nova-compute': { available: h.state === 'up', active: h.status === 'enabled', updated_at: novaTime(h.updatedAt) } }])),
    }));
    return { availabilityZoneInfo: [internal, ...zones] };
  });
}

