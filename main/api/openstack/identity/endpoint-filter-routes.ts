import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { DeskError } from '../../../core/errors';
import { baseUrl, selfUrl } from '../base-url';
import { endpointGroupView, endpointView } from './catalog-views';
import { keystoneAuth } from './keystone-auth';
import { parseInput } from './parse-body';
import { collection, projectView } from './views';

const fields = { name: z.string().min(1).max(255), description: z.string().max(65535).nullable().optional(), filters: z.record(z.string(), z.unknown()) };
const createBody = z.object({ endpoint_group: z.object(fields) });
const updateBody = z.object({ endpoint_group: z.object(fields).partial() });

type Id = { Params: { id: string } };
type Link = { Params: { id: string; project: string } };
const EP = '/v3/OS-EP-FILTER';

/** OS-EP-FILTER: endpoint groups, and which endpoints (directly or through groups) a project's catalog shows. */
export function registerEndpointFilterRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const f = cp.identity.endpointFilters;
  const ctxOf = (req: FastifyRequest) => keystoneAuth(cp, req, { allowUnscoped: true }).ctx;

  app.get(`${EP}/endpoint_groups`, async (req) => {
    const base = baseUrl(req, cp);
    return collection('endpoint_groups', f.list(ctxOf(req)).map((g) => endpointGroupView(g, base)), selfUrl(req, cp));
  });
  app.post(`${EP}/endpoint_groups`, async (req, reply) => {
    const ctx = ctxOf(req);
    const { endpoint_group: b } = parseInput(createBody, req.body);
    const g = f.create(ctx, { name: b.name, description: b.description ?? '', filters: b.filters });
    return reply.code(201).send({ endpoint_group: endpointGroupView(g, baseUrl(req, cp)) });
  });
  app.get<Id>(`${EP}/endpoint_groups/:id`, { exposeHeadRoute: false }, async (req) => ({ endpoint_group: endpointGroupView(f.get(ctxOf(req), req.params.id), baseUrl(req, cp)) }));
  app.head<Id>(`${EP}/endpoint_groups/:id`, async (req, reply) => {
    f.get(ctxOf(req), req.params.id);
    return reply.code(200).send();
  });
  app.patch<Id>(`${EP}/endpoint_groups/:id`, async (req) => {
    const ctx = ctxOf(req);
    const { endpoint_group: b } = parseInput(updateBody, req.body);
    return { endpoint_group: endpointGroupView(f.update(ctx, req.params.id, { name: b.name, description: b.description ?? undefined, filters: b.filters }), baseUrl(req, cp)) };
  });
  app.delete<Id>(`${EP}/endpoint_groups/:id`, async (req, reply) => {
    f.delete(ctxOf(req), req.params.id);
    return reply.code(204).send();
  });
  app.get<Id>(`${EP}/endpoint_groups/:id/endpoints`, async (req) => {
    const base = baseUrl(req, cp);
    return collection('endpoints', f.endpointsOf(ctxOf(req), base, req.params.id).map((e) => endpointView(e, base)), selfUrl(req, cp));
  });
  app.get<Id>(`${EP}/endpoint_groups/:id/projects`, async (req) => {
    const base = baseUrl(req, cp);
    return collection('projects', f.projectsOfGroup(ctxOf(req), req.params.id).map((p) => projectView(p, base)), selfUrl(req, cp));
  });
  app.put<Link>(`${EP}/endpoint_groups/:id/projects/:project`, async (req, reply) => {
    f.linkGroup(ctxOf(req), req.params.id, req.params.project, true);
    return reply.code(204).send();
  });
  const checkGroup = async (req: FastifyRequest<Link>, reply: FastifyReply) => {
    if (!f.groupLinked(ctxOf(req), req.params.id, req.params.project)) throw new DeskError('NotFound', `Endpoint group ${req.params.id} is not associated with project ${req.params.project}.`);
    return reply.code(200).send();
  };
  app.head<Link>(`${EP}/endpoint_groups/:id/projects/:project`, checkGroup);
  app.get<Link>(`${EP}/endpoint_groups/:id/projects/:project`, { exposeHeadRoute: false }, checkGroup);
  app.delete<Link>(`${EP}/endpoint_groups/:id/projects/:project`, async (req, reply) => {
    f.linkGroup(ctxOf(req), req.params.id, req.params.project, false);
    return reply.code(204).send();
  });
  app.get<Id>(`${EP}/projects/:id/endpoint_groups`, async (req) => {
    const base = baseUrl(req, cp);
    return collection('endpoint_groups', f.groupsOfProject(ctxOf(req), req.params.id).map((g) => endpointGroupView(g, base)), selfUrl(req, cp));
  });

  type PE = { Params: { project: string; endpoint: string } };
  app.put<PE>(`${EP}/projects/:project/endpoints/:endpoint`, async (req, reply) => {
    f.linkEndpoint(ctxOf(req), baseUrl(req, cp), req.params.endpoint, req.params.project, true);
    return reply.code(204).send();
  });
  const checkEndpoint = async (req: FastifyRequest<PE>, reply: FastifyReply) => {
    if (!f.endpointLinked(ctxOf(req), baseUrl(req, cp), req.params.endpoint, req.params.project))
      throw new DeskError('NotFound', `Endpoint ${req.params.endpoint} is not associated with project ${req.params.project}.`);
    return reply.code(204).send();
  };
  app.head<PE>(`${EP}/projects/:project/endpoints/:endpoint`, checkEndpoint);
  app.get<PE>(`${EP}/projects/:project/endpoints/:endpoint`, { exposeHeadRoute: false }, checkEndpoint);
  app.delete<PE>(`${EP}/projects/:project/endpoints/:endpoint`, async (req, reply) => {
    f.linkEndpoint(ctxOf(req), baseUrl(req, cp), req.params.endpoint, req.params.project, false);
    return reply.code(204).send();
  });
  app.get<{ Params: { project: string } }>(`${EP}/projects/:project/endpoints`, async (req) => {
    const base = baseUrl(req, cp);
    return collection('endpoints', f.endpointsOfProject(ctxOf(req), base, req.params.project).map((e) => endpointView(e, base)), selfUrl(req, cp));
  });
  app.get<{ Params: { endpoint: string } }>(`${EP}/endpoints/:endpoint/projects`, async (req) => {
    const base = baseUrl(req, cp);
    return collection('projects', f.projectsOfEndpoint(ctxOf(req), base, req.params.endpoint).map((p) => projectView(p, base)), selfUrl(req, cp));
  });
}
