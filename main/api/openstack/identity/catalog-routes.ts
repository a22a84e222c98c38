import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { baseUrl, selfUrl } from '../base-url';
import { endpointView, regionView, serviceView } from './catalog-views';
import { keystoneAuth } from './keystone-auth';
import { extraOf, parseInput } from './parse-body';
import { queryStrings } from './query';
import { collection } from './views';

const SERVICE_KNOWN = ['type', 'name', 'description', 'enabled', 'id', 'links'];
const serviceFields = {
  type: z.string().min(1).max(255),
  name: z.string().max(255).optional(),
  description: z.string().max(65535).nullable().optional(),
  enabled: z.boolean().optional(),
};
const serviceCreate = z.object({ service: z.looseObject(serviceFields) });
const serviceUpdate = z.object({ service: z.looseObject({ ...serviceFields, type: serviceFields.type.optional() }) });

const ENDPOINT_KNOWN = ['service_id', 'interface', 'url', 'region', 'region_id', 'enabled', 'id', 'links'];
const endpointFields = {
  service_id: z.string().min(1).max(64),
  interface: z.enum(['public', 'internal', 'admin']),
  url: z.string().min(1).max(2048),
  region_id: z.string().min(1).max(255).nullable().optional(),
  region: z.string().min(1).max(255).nullable().optional(),
  enabled: z.boolean().optional(),
};
const endpointCreate = z.object({ endpoint: z.looseObject(endpointFields) });
const endpointUpdate = z.object({ endpoint: z.looseObject(z.object(endpointFields).partial().shape) });

const REGION_KNOWN = ['id', 'description', 'parent_region_id', 'links'];
const regionFields = { id: z.string().min(1).max(255).optional(), description: z.string().max(255).optional(), parent_region_id: z.string().max(255).nullable().optional() };
const regionBody = z.object({ region: z.looseObject(regionFields) });

type Id = { Params: { id: string } };

// Keystone's legacy "region" names the region when region_id is not given.
const regionOf = (b: { region_id?: string | null; region?: string | null }) => (b.region_id !== undefined ? b.region_id : b.region);

/** Services, endpoints and regions of the catalog. */
export function registerCatalogRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const cat = cp.identity.catalogs;

  app.get('/v3/services', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const q = queryStrings(req.query, ['type', 'name'] as const);
    const base = baseUrl(req, cp);
    return collection('services', cat.listServices(ctx, q).map((s) => serviceView(s, base)), selfUrl(req, cp));
  });
  app.post('/v3/services', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { service: b } = parseInput(serviceCreate, req.body);
    const s = cat.createService(ctx, { type: b.type, name: b.name, description: b.description ?? '', enabled: b.enabled, extra: extraOf(b, SERVICE_KNOWN) });
    return reply.code(201).send({ service: serviceView(s, baseUrl(req, cp)) });
  });
  app.get<Id>('/v3/services/:id', async (req) => ({ service: serviceView(cat.getService(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id), baseUrl(req, cp)) }));
  app.patch<Id>('/v3/services/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { service: b } = parseInput(serviceUpdate, req.body);
    const s = cat.updateService(ctx, req.params.id, { type: b.type, name: b.name, description: b.description ?? undefined, enabled: b.enabled, extra: extraOf(b, SERVICE_KNOWN) });
    return { service: serviceView(s, baseUrl(req, cp)) };
  });
  app.delete<Id>('/v3/services/:id', async (req, reply) => {
    cat.deleteService(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get('/v3/endpoints', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const q = queryStrings(req.query, ['service_id', 'interface', 'region_id'] as const);
    const base = baseUrl(req, cp);
    return collection('endpoints', cat.listEndpoints(ctx, base, { serviceId: q.service_id, interface: q.interface, regionId: q.region_id }).map((e) => endpointView(e, base)), selfUrl(req, cp));
  });
  app.post('/v3/endpoints', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { endpoint: b } = parseInput(endpointCreate, req.body);
    const e = cat.createEndpoint(ctx, { serviceId: b.service_id, interface: b.interface, url: b.url, regionId: regionOf(b), enabled: b.enabled, extra: extraOf(b, ENDPOINT_KNOWN) });
    return reply.code(201).send({ endpoint: endpointView(e, baseUrl(req, cp)) });
  });
  app.get<Id>('/v3/endpoints/:id', async (req) => {
    const base = baseUrl(req, cp);
    return { endpoint: endpointView(cat.getEndpoint(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, base, req.params.id), base) };
  });
  app.patch<Id>('/v3/endpoints/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { endpoint: b } = parseInput(endpointUpdate, req.body);
    const base = baseUrl(req, cp);
    const e = cat.updateEndpoint(ctx, base, req.params.id, { serviceId: b.service_id, interface: b.interface, url: b.url, regionId: regionOf(b), enabled: b.enabled, extra: extraOf(b, ENDPOINT_KNOWN) });
    return { endpoint: endpointView(e, base) };
  });
  app.delete<Id>('/v3/endpoints/:id', async (req, reply) => {
    cat.deleteEndpoint(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, baseUrl(req, cp), req.params.id);
    return reply.code(204).send();
  });

  app.get('/v3/regions', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const q = queryStrings(req.query, ['parent_region_id'] as const);
    const base = baseUrl(req, cp);
    return collection('regions', cat.listRegions(ctx, { parentRegionId: q.parent_region_id }).map((r) => regionView(r, base)), selfUrl(req, cp));
  });
  const createRegion = (id: string | undefined) => async (req: Parameters<typeof keystoneAuth>[1], reply: import('fastify').FastifyReply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { region: b } = parseInput(regionBody, req.body);
    const r = cat.createRegion(ctx, { id: id ?? b.id, description: b.description, parentRegionId: b.parent_region_id, extra: extraOf(b, REGION_KNOWN) });
    return reply.code(201).send({ region: regionView(r, baseUrl(req, cp)) });
  };
  app.post('/v3/regions', (req, reply) => createRegion(undefined)(req, reply));
  app.put<Id>('/v3/regions/:id', (req, reply) => createRegion(req.params.id)(req, reply));
  app.get<Id>('/v3/regions/:id', async (req) => ({ region: regionView(cat.getRegion(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id), baseUrl(req, cp)) }));
  app.patch<Id>('/v3/regions/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { region: b } = parseInput(regionBody, req.body);
    const r = cat.updateRegion(ctx, req.params.id, { description: b.description, parentRegionId: b.parent_region_id, extra: extraOf(b, REGION_KNOWN) });
    return { region: regionView(r, baseUrl(req, cp)) };
  });
  app.delete<Id>('/v3/regions/:id', async (req, reply) => {
    cat.deleteRegion(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id);
    return reply.code(204).send();
  });
}
