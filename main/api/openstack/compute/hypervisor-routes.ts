// /os-hypervisors (list, detail, show, statistics, search, servers, uptime): admin only.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HypervisorView } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { badRequest, DeskError } from '../../../core/errors';
import { authOf } from '../auth';
import { nextLink } from './links';
import { atLeast } from './microversion';
import { pageParams, queryOf, requireAdmin, truthy } from './policy';
import { computeServiceId } from './service-routes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function hvId(req: FastifyRequest, h: HypervisorView): string | number {
  return atLeast(req, '2.53') ? h.hostId : h.index;
}

function brief(req: FastifyRequest, h: HypervisorView): Record<string, unknown> {
  return { id: hvId(req, h), hypervisor_hostname: h.name, state: h.state, status: h.status };
}

function detail(req: FastifyRequest, h: HypervisorView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...brief(req, h),
    host_ip: h.hostIp,
    hypervisor_type: h.hypervisorType,
    hypervisor_version: h.hypervisorVersion,
    service: { host: h.name, id: computeServiceId(req, h), disabled_reason: h.disabledReason },
  };
  if (atLeast(req, '2.88')) return out;
  const cpu = { arch: 'x86_64', model: h.cpuModel, vendor: h.cpuModel.startsWith('AMD') ? 'AMD' : 'Intel', topology: { cores: h.vcpus, threads: 1, sockets: 1 }, features: [] as string[] };
  Object.assign(out, {
    cpu_info: atLeast(req, '2.28') ? cpu : JSON.stringify(cpu),
    current_workload: 0,
    disk_available_least: h.localGb - h.localGbUsed,
    free_disk_gb: h.localGb - h.localGbUsed,
    free_ram_mb: h.memoryMb - h.memoryMbUsed,
    local_gb: h.localGb,
    local_gb_used: h.localGbUsed,
    memory_mb: h.memoryMb,
    memory_mb_used: h.memoryMbUsed,
    running_vms: h.runningVms,
    vcpus: h.vcpus,
    vcpus_used: h.vcpusUsed,
  });
  return out;
}

export function registerHypervisorRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const withServers = (req: FastifyRequest, h: HypervisorView, body: Record<string, unknown>) => {
    const servers = cp.compute.listServers(authOf(req), { allTenants: true, hostName: h.name });
    return { ...body, servers: servers.map((s) => ({ name: `instance-${s.internalId.toString(16).padStart(8, '0')}`, uuid: s.id })) };
  };

  // 2.88 moved the uptime into the hypervisor's details (null when its host does not answer).
  const uptimeOrNull = (h: HypervisorView): Promise<string | null> => (h.state === 'up' ? cp.compute.hypervisorUptime(h.hostId).catch(() => null) : Promise.resolve(null));

  const list = (isDetail: boolean) => async (req: FastifyRequest) => {
    requireAdmin(req, 'os_compute_api:os-hypervisors:list');
    const q = queryOf(req);
    let all = cp.compute.hypervisors();
    if (atLeast(req, '2.53') && q.hypervisor_hostname_pattern !== undefined) {
      const pat = q.hypervisor_hostname_pattern;
      all = all.filter((h) => h.name.includes(pat));
      if (!all.length) throw new DeskError('NotFound', `No hypervisor matching '${pat.slice(0, 255)}' could be found.`);
    }
    const page = atLeast(req, '2.33') ? pageParams(q) : {};
    if (page.marker !== undefined) {
      const i = all.findIndex((h) => String(hvId(req, h)) === page.marker);
      if (i < 0) throw badRequest(`marker [${page.marker}] not found`);
      all = all.slice(i + 1);
    }
    if (page.limit !== undefined) all = all.slice(0, page.limit);
    const ws = atLeast(req, '2.53') && truthy(q.with_servers);
    const body: Record<string, unknown> = {
      hypervisors: await Promise.all(
        all.map(async (h) => {
          const b = isDetail ? detail(req, h) : brief(req, h);
          if (isDetail && atLeast(req, '2.88')) b.uptime = await uptimeOrNull(h);
          return ws ? withServers(req, h, b) : b;
        }),
      ),
    };
    if (page.limit !== undefined && all.length === page.limit && all.length) body.hypervisors_links = nextLink(req, cp, isDetail ? 'os-hypervisors/detail' : 'os-hypervisors', String(hvId(req, all[all.length - 1])));
    return body;
  };
  app.get('/os-hypervisors', list(false));
  app.get('/os-hypervisors/detail', list(true));

  app.get('/os-hypervisors/statistics', async (req) => {
    if (atLeast(req, '2.88')) throw new DeskError('NotFound', 'The resource could not be found.');
    requireAdmin(req, 'os_compute_api:os-hypervisors:statistics');
    const all = cp.compute.hypervisors();
    const sum = (f: (h: HypervisorView) => number) => all.reduce((a, h) => a + f(h), 0);
    return {
      hypervisor_statistics: {
        count: all.length,
        current_workload: 0,
        disk_available_least: sum((h) => h.localGb - h.localGbUsed),
        free_disk_gb: sum((h) => h.localGb - h.localGbUsed),
        free_ram_mb: sum((h) => h.memoryMb - h.memoryMbUsed),
        local_gb: sum((h) => h.localGb),
        local_gb_used: sum((h) => h.localGbUsed),
        memory_mb: sum((h) => h.memoryMb),
        memory_mb_used: sum((h) => h.memoryMbUsed),
        running_vms: sum((h) => h.runningVms),
        vcpus: sum((h) => h.vcpus),
        vcpus_used: sum((h) => h.vcpusUsed),
      },
    };
  });

  const find = (req: FastifyRequest, id: string): HypervisorView => {
    const all = cp.compute.hypervisors();
    if (atLeast(req, '2.53')) {
      if (!UUID.test(id)) throw badRequest(`Invalid uuid ${id.slice(0, 255)}`);
      const h = all.find((x) => x.hostId === id);
      if (h) return h;
    } else {
      const h = /^\d{1,9}$/.test(id) ? all.find((x) => x.index === Number(id)) : undefined;
      if (h) return h;
    }
    throw new DeskError('NotFound', `Hypervisor with ID ${id.slice(0, 255)} could not be found.`);
  };
  app.get<{ Params: { id: string } }>('/os-hypervisors/:id', async (req) => {
    requireAdmin(req, 'os_compute_api:os-hypervisors:show');
    const h = find(req, req.params.id);
    const body = detail(req, h);
    if (atLeast(req, '2.88')) body.uptime = await uptimeOrNull(h);
    return { hypervisor: atLeast(req, '2.53') && truthy(queryOf(req).with_servers) ? withServers(req, h, body) : body };
  });
  app.get<{ Params: { id: string } }>('/os-hypervisors/:id/uptime', async (req) => {
    if (atLeast(req, '2.88')) throw new DeskError('NotFound', 'The resource could not be found.');
    requireAdmin(req, 'os_compute_api:os-hypervisors:uptime');
    const h = find(req, req.params.id);
    return { hypervisor: { ...brief(req, h), uptime: await cp.compute.hypervisorUptime(h.hostId) } };
  });
  const search = (servers: boolean) => async (req: FastifyRequest<{ Params: { pattern: string } }>) => {
    if (atLeast(req, '2.53')) throw new DeskError('NotFound', 'The resource could not be found.');
    requireAdmin(req, 'os_compute_api:os-hypervisors:search');
    const found = cp.compute.hypervisors().filter((h) => h.name.includes(req.params.pattern));
    if (!found.length) throw new DeskError('NotFound', `No hypervisor matching '${req.params.pattern.slice(0, 255)}' could be found.`);
    return { hypervisors: found.map((h) => (servers ? withServers(req, h, brief(req, h)) : brief(req, h))) };
  };
  app.get('/os-hypervisors/:pattern/search', search(false));
  app.get('/os-hypervisors/:pattern/servers', search(true));
}
