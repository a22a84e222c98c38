// /servers: list, detail, show, create (202), update, delete (204).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_SERVERS_PER_REQUEST, type CreateServerInput } from '../../../compute/server-create';
import type { ServerListFilter, ServerUpdate } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { badRequest } from '../../../core/errors';
import { authOf } from '../auth';
import { links, nextLink } from './links';
import { atLeast } from './microversion';
import { changesSince, pageParams, queryOf, requireAdmin, truthy } from './policy';
import { descriptionSchema, fqdnSchema, hostnameSchema, integerLike, ipv4Schema, ipv6Schema, metadataSchema, nameSchema, tagListSchema, uuidSchema } from './schemas';
import { renderServer, renderServerBrief } from './server-view';
import { novaParse } from './validate';

const networkItem = z.strictObject({
  uuid: uuidSchema.optional(),
  port: uuidSchema.optional(),
  fixed_ip: z.string().max(64).optional(),
  tag: z.string().max(60).optional(),
});

const serverCount = integerLike({ min: 1, max: MAX_SERVERS_PER_REQUEST });
const diskConfig = z.enum(['AUTO', 'MANUAL']);

function createSchema(req: FastifyRequest) {
  const networks = atLeast(req, '2.37') ? z.union([z.array(networkItem), z.enum(['auto', 'none'])]) : z.array(networkItem);
  const server = z.strictObject({
    name: nameSchema,
    imageRef: z.string().max(1024),
    flavorRef: z.union([z.string().min(1).max(1024), z.number().int().min(0)]).transform(String),
    adminPass: z.string().max(255).optional(),
    metadata: metadataSchema.optional(),
    networks: atLeast(req, '2.37') ? networks : networks.optional(),
    'OS-DCF:diskConfig': diskConfig.optional(),
    accessIPv4: ipv4Schema.optional(),
    accessIPv6: ipv6Schema.optional(),
    availability_zone: nameSchema.optional(),
    block_device_mapping: z.array(z.unknown()).max(0).optional(),
    block_device_mapping_v2: z.array(z.unknown()).max(0).optional(),
    config_drive: z.union([z.boolean(), z.enum(['', 'True', 'true', 'False', 'false'])]).optional(),
    key_name: z.string().min(1).max(255).optional(),
    min_count: serverCount.optional(),
    max_count: serverCount.optional(),
    return_reservation_id: z.union([z.boolean(), z.enum(['True', 'true', 'False', 'false'])]).optional(),
    security_groups: z.array(z.strictObject({ name: nameSchema.optional() })).optional(),
    user_data: z.string().max(65535 * 2).optional(),
    // File injection is not supported: an empty list is all DeskStack can honour.
    ...(atLeast(req, '2.57') ? {} : { personality: z.array(z.unknown()).max(0).optional() }),
    ...(atLeast(req, '2.19') ? { description: descriptionSchema.optional() } : {}),
    ...(atLeast(req, '2.52') ? { tags: tagListSchema.optional() } : {}),
    ...(atLeast(req, '2.74') ? { host: fqdnSchema.optional(), hypervisor_hostname: fqdnSchema.optional() } : {}),
    ...(atLeast(req, '2.90') ? { hostname: hostnameSchema.optional() } : {}),
  });
  const hints = z.looseObject({ group: uuidSchema.optional() });
  return z.strictObject({ server, 'os:scheduler_hints': hints.optional(), 'OS-SCH-HNT:scheduler_hints': hints.optional() });
}

const isTrue = (v: boolean | string | undefined): boolean => v === true || v === 'True' || v === 'true';

function updateSchema(req: FastifyRequest) {
  return z.strictObject({
    server: z.strictObject({
      name: nameSchema.optional(),
      accessIPv4: ipv4Schema.optional(),
      accessIPv6: ipv6Schema.optional(),
      'OS-DCF:diskConfig': diskConfig.optional(),
      ...(atLeast(req, '2.19') ? { description: descriptionSchema.optional() } : {}),
      ...(atLeast(req, '2.90') ? { hostname: hostnameSchema.optional() } : {}),
    }),
  });
}

/** A comma-separated tag list of a query (Nova's tags, tags-any, not-tags, not-tags-any). */
const tagList = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').filter((t) => t !== ''));

function listFilter(req: FastifyRequest, detail: boolean): ServerListFilter {
  const q = queryOf(req);
  const ctx = authOf(req);
  const f: ServerListFilter = { ...pageParams(q) };
  if (q.name) f.name = q.name.slice(0, 255);
  if (q.status) f.status = q.status;
  if (q.flavor) f.flavorId = q.flavor;
  if (q.image) f.imageId = q.image;
  if (q.ip) f.ip = q.ip;
  f.changesSince = changesSince(q);
  if (atLeast(req, '2.26')) {
    f.tags = tagList(q.tags);
    f.tagsAny = tagList(q['tags-any']);
    f.notTags = tagList(q['not-tags']);
    f.notTagsAny = tagList(q['not-tags-any']);
  }
  if (q.sort_dir === 'asc' || q.sort_dir === 'desc') f.sortDir = q.sort_dir;
  // Nova: an empty all_tenants means yes; without it, tenant_id and project_id are ignored (lp:#1185290).
  if ('all_tenants' in q && (q.all_tenants === '' || truthy(q.all_tenants))) {
    requireAdmin(req, `os_compute_api:servers:${detail ? 'detail' : 'index'}:get_all_tenants`);
    f.allTenants = true;
    const project = q.project_id ?? q.tenant_id;
    if (project) f.projectId = project;
  }
  if (ctx.isAdmin) {
    if (q.host) f.hostName = q.host;
    if (truthy(q.deleted)) f.includeDeleted = true;
  }
  return f;
}

function createInput(req: FastifyRequest, body: z.infer<ReturnType<typeof createSchema>>): CreateServerInput {
  const s = body.server;
  const hints = body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints'];
  if (!s.imageRef) throw badRequest('Booting from a volume is not supported by DeskStack yet; give an imageRef.');
  if (s.networks !== undefined && typeof s.networks !== 'string') {
    for (const n of s.networks) if (!n.uuid && !n.port) throw badRequest('Invalid input for field/attribute networks. Each network needs a uuid or a port.');
  }
  const optional = s as { description?: string | null; tags?: string[]; hostname?: string; host?: string; hypervisor_hostname?: string };
  return {
    name: s.name,
    adminPass: s.adminPass,
    imageRef: s.imageRef,
    flavorRef: s.flavorRef,
    minCount: s.min_count,
    maxCount: s.max_count,
    userData: s.user_data,
    metadata: s.metadata,
    keyName: s.key_name,
    availabilityZone: s.availability_zone,
    host: optional.host,
    hypervisorHostname: optional.hypervisor_hostname,
    networks: s.networks === undefined ? undefined : typeof s.networks === 'string' ? s.networks : s.networks.map((n) => ({ uuid: n.uuid, port: n.port, fixedIp: n.fixed_ip })),
    groupId: hints?.group,
    description: optional.description,
    configDrive: isTrue(s.config_drive),
    hostname: optional.hostname,
    tags: optional.tags,
    accessIPv4: s.accessIPv4,
    accessIPv6: s.accessIPv6,
    securityGroups: s.security_groups?.map((g) => g.name ?? ''),
    diskConfig: s['OS-DCF:diskConfig'],
  };
}

export function registerServerRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const list = (detail: boolean) => async (req: FastifyRequest) => {
    const f = listFilter(req, detail);
    const servers = cp.compute.listServers(authOf(req), f);
    const body: Record<string, unknown> = { servers: servers.map((s) => (detail ? renderServer(req, cp, s) : renderServerBrief(req, cp, s))) };
    if (f.limit !== undefined && servers.length === f.limit && servers.length > 0) {
      body.servers_links = nextLink(req, cp, detail ? 'servers/detail' : 'servers', servers[servers.length - 1].id);
    }
    return body;
  };
  app.get('/servers', list(false));
  app.get('/servers/detail', list(true));

  app.get<{ Params: { id: string } }>('/servers/:id', async (req) => ({ server: renderServer(req, cp, cp.compute.getServer(authOf(req), req.params.id), { show: true }) }));

  app.post('/servers', async (req, reply) => {
    const body = novaParse(createSchema(req), req.body);
    const input = createInput(req, body);
    const res = await cp.compute.createServers(authOf(req), input);
    reply.code(202);
    if (isTrue(body.server.return_reservation_id)) return { reservation_id: res.reservationId };
    const first = res.servers[0];
    reply.header('location', links(req, cp, `servers/${first.id}`)[0].href);
    return {
      server: {
        id: first.id,
        links: links(req, cp, `servers/${first.id}`),
        'OS-DCF:diskConfig': first.diskConfig,
        // Nova echoes the groups the request named (default when none).
        security_groups: body.server.security_groups ?? [{ name: 'default' }],
        adminPass: res.adminPass,
      },
    };
  });

  app.put<{ Params: { id: string } }>('/servers/:id', async (req) => {
    const body = novaParse(updateSchema(req), req.body).server as z.infer<ReturnType<typeof updateSchema>>['server'] & { description?: string | null; hostname?: string };
    const patch: ServerUpdate = {
      name: body.name,
      description: body.description,
      hostname: body.hostname,
      accessIPv4: body.accessIPv4,
      accessIPv6: body.accessIPv6,
      diskConfig: body['OS-DCF:diskConfig'],
    };
    const s = cp.compute.updateServer(authOf(req), req.params.id, patch);
    return { server: renderServer(req, cp, s, { show: atLeast(req, '2.71'), update: true }) };
  });

  app.delete<{ Params: { id: string } }>('/servers/:id', async (req, reply) => {
    cp.compute.deleteServer(authOf(req), req.params.id);
    return reply.code(204).send();
  });
}
