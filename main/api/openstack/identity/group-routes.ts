import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { DeskError } from '../../../core/errors';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { extraOf, parseInput } from './parse-body';
import { listFilters } from './query';
import { collection, groupView, userView } from './views';

const KNOWN = ['name', 'description', 'domain_id', 'id', 'links'];
const fields = { name: z.string(), description: z.string().max(65535).nullable().optional(), domain_id: z.string().max(64).optional() };
const createBody = z.object({ group: z.looseObject(fields) });
const updateBody = z.object({ group: z.looseObject({ ...fields, name: z.string().optional() }).omit({ domain_id: true }) });

type Id = { Params: { id: string } };
type Member = { Params: { id: string; user: string } };

/** Groups and group membership. */
export function registerGroupRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/v3/groups', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const f = listFilters(req.query);
    const base = baseUrl(req, cp);
    return collection('groups', cp.identity.groups.list(ctx, { name: f.name, domainId: f.domainId }).map((g) => groupView(g, base)), selfUrl(req, cp));
  });
  app.post('/v3/groups', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { group: b } = parseInput(createBody, req.body);
    const g = cp.identity.groups.create(ctx, { name: b.name, domainId: b.domain_id, description: b.description ?? '', extra: extraOf(b, KNOWN) });
    return reply.code(201).send({ group: groupView(g, baseUrl(req, cp)) });
  });
  app.get<Id>('/v3/groups/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    return { group: groupView(cp.identity.groups.get(ctx, req.params.id), baseUrl(req, cp)) };
  });
  app.patch<Id>('/v3/groups/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { group: b } = parseInput(updateBody, req.body);
    const g = cp.identity.groups.update(ctx, req.params.id, { name: b.name, description: b.description ?? undefined, extra: extraOf(b, KNOWN) });
    return { group: groupView(g, baseUrl(req, cp)) };
  });
  app.delete<Id>('/v3/groups/:id', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    cp.identity.groups.delete(ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get<Id>('/v3/groups/:id/users', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const base = baseUrl(req, cp);
    return collection('users', cp.identity.groups.members(ctx, req.params.id).map((u) => userView(u, base)), selfUrl(req, cp));
  });
  app.put<Member>('/v3/groups/:id/users/:user', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    cp.identity.groups.addMember(ctx, req.params.id, req.params.user);
    return reply.code(204).send();
  });
  const check = async (req: FastifyRequest<Member>, reply: FastifyReply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    if (!cp.identity.groups.isMember(ctx, req.params.id, req.params.user))
      throw new DeskError('NotFound', `User ${req.params.user} is not a member of group ${req.params.id}.`);
    return reply.code(204).send();
  };
  app.head<Member>('/v3/groups/:id/users/:user', check);
  app.get<Member>('/v3/groups/:id/users/:user', { exposeHeadRoute: false }, check);
  app.delete<Member>('/v3/groups/:id/users/:user', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    cp.identity.groups.removeMember(ctx, req.params.id, req.params.user);
    return reply.code(204).send();
  });
}
