// /servers: list, detail, show, create (202), update, delete (204).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CreateServerInput } from '../../../compute/server-create';
import type { ServerListFilter } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { badRequest } from '../../../core/errors';
import { authOf } from '../auth';
import { links, nextLink } from './links';
import { atLeast } from './microversion';
import { pageParams, queryOf, truthy } from './policy';
import { descriptionSchema, metadataSchema, nameSchema, positiveInt, uuidSchema } from './schemas';
import { renderServer, renderServerBrief } from './server-view';
import { novaParse } from './validate';

const networkItem = z.strictObject({
  uuid: uuidSchema.optional(),
  port: uuidSchema.optional(),
  fixed_ip: z.string().max(64).optional(),
  tag: z.string().max(60).optional(),
});

function createSchema(req: FastifyRequest) {
  const networks = atLeast(req, '2.37') ? z.union([z.array(networkItem), z.enum(['auto', 'none'])]) : z.array(networkItem);
  const server = z.strictObject({
    name: nameSchema,
    imageRef: z.string().max(1024),
    flavorRef: z.union([z.string().min(1).max(1024), z.number().int().min(0)]).transform(String),
    adminPass: z.string().max(255).optional(),
    metadata: metadataSchema.optional(),
    networks: atLeast(req, '2.37') ? networks : networks.optional(),
    'OS-DCF:diskConfig': z.enum(['AUTO', 'MANUAL']).optional(),
    accessIPv4: z.string().max(64).optional(),
    accessIPv6: z.string().max(64).optional(),
    availability_zone: z.string().min(1).max(255).optional(),
    block_device_mapping: z.array(z.unknown()).max(0).optional(),
    block_device_mapping_v2: z.array(z.unknown()).max(0).optional(),
    config_drive: z.union([z.boolean(), z.enum(['', 'True', 'true', 'False', 'false'])]).optional(),
    key_name: z.string().min(1).max(255).optional(),
    min_count: positiveInt.optional(),
    max_count: positiveInt.optional(),
    return_reservation_id: z.union([z.boolean(), z.enum(['True', 'true', 'False', 'false'])]).optional(),
    security_groups: z.array(z.strictObject({ name: z.string().min(1).max(255) })).optional(),
    user_data: z.string().max(65535 * 2).optional(),
    ...(atLeast(req, '2.57') ? {} : { personality: z.array(z.strictObject({ path: z.string().max(255), contents: z.string() })).optional() }),
    ...(atLeast(req, '2.19') ? { description: descriptionSchema.optional() } : {}),
    ...(atLeast(req, '2.52') ? { tags: z.array(z.string().min(1).max(60)).max(50).optional() } : {}),
    ...(atLeast(req, '2.90') ? { hostname: z.string().min(1).max(255).optional() } : {}),
  });
  const hints = z.looseObject({ group: uuidSchema.optional() });
  return z.strictObject({ server, 'os:scheduler_hints': hints.optional(), 'OS-SCH-HNT:scheduler_hints': hints.optional() });
}

const isTrue = (v: boolean | string | undefined): boolean => v === true || v === 'True' || v === 'true';

function updateSchema(req: FastifyRequest) {
  return z.strictObject({
    server: z.strictObject({
      name: nameSchema.optional(),
      accessIPv4: z.string().max(64).optional(),
      accessIPv6: z.string().max(64).optional(),
      'OS-DCF:diskConfig': z.enum(['AUTO', 'MANUAL']).optional(),
      ...(atLeast(req, '2.19') ? { description: descriptionSchema.optional() } : {}),
      ...(atLeast(req, '2.90') ? { hostname: z.string().min(1).max(255).optional() } : {}),
    }),
  });
}

function listFilter(req: FastifyRequest): ServerListFilter {
  const q = queryOf(req);
  const ctx = authOf(req);
  const f: ServerListFilter = { ...pageParams(q) };
  if (q.name) f.name = q.name.slice(0, 255);
  if (q.status) f.status = q.status;
  if (q.flavor) f.flavorId = q.flavor;
  if (q.image) f.imageId = q.image;
  if (q.ip) f.ip = q.ip;
  if (q['changes-since']) {
    const t = Date.parse(q['changes-since']);
    if (Number.isNaN(t)) throw badRequest(`Invalid input for query parameters changes-since. Value: ${q['changes-since'].slice(0, 50)}. '${q['changes-since'].slice(0, 50)}' is not a 'date-time'`);
    f.changesSince = new Date(t).toISOString();
  }
  if (q.sort_dir === 'asc' || q.sort_dir === 'desc') f.sortDir = q.sort_dir;
  if (ctx.isAdmin) {
    if (truthy(q.all_tenants) || (q.all_tenants === '' && 'all_tenants' in q)) f.allTenants = true;
    const project = q.project_id ?? q.tenant_id;
    if (project) {
      f.allTenants = true;
      f.projectId = project;
    }
    if (q.host) f.hostName = q.host;
    if (truthy(q.deleted)) f.includeDeleted = true;
  }
  return f;
}

export function registerServerRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const list = (detail: boolean) => async (req: FastifyRequest) => {
    const f = listFilter(req);
    const servers = cp.compute.listServers(authOf(req), f);
    const body: Record<string, unknown> = { servers: servers.map((s) => (detail ? renderServer(req, cp, s) : renderServerBrief(req, cp, s))) };
    if (f.limit !== undefined && servers.length === f.limit && servers.length > 0) {
      body.servers_links = nextLink(req, cp, detail ? 'servers/detail' : 'servers', servers[servers.length - 1].id);
    }
    return body;
  };
  app.get('/v2.1/servers', list(false));
  app.get('/v2.1/servers/detail', list(true));

  app.get<{ Params: { id: string } }>('/v2.1/servers/:id', async (req) => ({ server: renderServer(req, cp, cp.compute.getServer(authOf(req), req.params.id), { show: true }) }));

  app.post('/v2.1/servers', async (req, reply) => {
    const ctx = authOf(req);
    const body = novaParse(createSchema(req), req.body);
    const s = body.server;
    const hints = body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints'];
    const input: CreateServerInput = {
      name: s.name,
      imageRef: s.imageRef,
      flavorRef: s.flavorRef,
      minCount: s.min_count,
      maxCount: s.max_count,
      userData: s.user_data,
      metadata: s.metadata,
      keyName: s.key_name,
      availabilityZone: s.availability_zone,
      networks: s.networks === undefined ? undefined : typeof s.networks === 'string' ? s.networks : s.networks.map((n) => ({ uuid: n.uuid, port: n.port, fixedIp: n.fixed_ip })),
      groupId: hints?.group,
      description: 'description' in s ? (s.description as string | null | undefined) : undefined,
      configDrive: isTrue(s.config_drive),
    };
    if (!s.imageRef) throw badRequest('Booting from a volume is not supported by DeskStack yet; give an imageRef.');
    if (s.networks !== undefined && typeof s.networks !== 'string') {
      for (const n of s.networks) if (!n.uuid && !n.port) throw badRequest('Invalid input for field/attribute networks. Each network needs a uuid or a port.');
    }
    const res = cp.compute.createServers(ctx, input);
    reply.code(202);
    if (isTrue(s.return_reservation_id)) return { reservation_id: res.reservationId };
    const first = res.servers[0];
    return {
      server: {
        id: first.id,
        links: links(req, cp, `servers/${first.id}`),
        'OS-DCF:diskConfig': s['OS-DCF:diskConfig'] ?? 'MANUAL',
        security_groups: [{ name: 'default' }],
        adminPass: s.adminPass ?? res.adminPass,
      },
    };
  });

  app.put<{ Params: { id: string } }>('/v2.1/servers/:id', async (req) => {
    const ctx = authOf(req);
    const body = novaParse(updateSchema(req), req.body).server;
    const patch: { name?: string; description?: string | null } = {};
    if (body.name !== undefined) patch.name = body.name;
    if ('description' in body && body.description !== undefined) patch.description = body.description as string | null;
    const s = cp.compute.updateServer(ctx, req.params.id, patch);
    return { server: renderServer(req, cp, s, { show: true }) };
  });

  app.delete<{ Params: { id: string } }>('/v2.1/servers/:id', async (req, reply) => {
    cp.compute.deleteServer(authOf(req), req.params.id);
    return reply.code(204).send();
  });
}
