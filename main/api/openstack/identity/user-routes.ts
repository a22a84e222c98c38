import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { extraOf, parseInput } from './parse-body';
import { listFilters } from './query';
import { collection, groupView, projectView, userView } from './views';

const KNOWN = ['name', 'domain_id', 'password', 'enabled', 'default_project_id', 'email', 'options', 'federated', 'id', 'links', 'password_expires_at'];

const userFields = {
  name: z.string(),
  domain_id: z.string().max(64).optional(),
  password: z.string().max(4096).nullable().optional(),
  enabled: z.boolean().optional(),
  default_project_id: z.string().max(64).nullable().optional(),
  email: z.string().max(255).nullable().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
};
const createBody = z.object({ user: z.looseObject(userFields) });
const updateBody = z.object({ user: z.looseObject({ ...userFields, name: z.string().optional() }).omit({ domain_id: true }) });
const passwordBody = z.object({ user: z.object({ password: z.string().min(1).max(4096), original_password: z.string().max(4096) }) });

export function registerUserRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/v3/users', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const base = baseUrl(req, cp);
    return collection('users', cp.identity.listUsers(ctx, listFilters(req.query)).map((u) => userView(u, base)), selfUrl(req, cp));
  });

  app.post('/v3/users', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    const { user: b } = parseInput(createBody, req.body);
    const u = await cp.identity.createUser(ctx, {
      name: b.name,
      domainId: b.domain_id,
      password: b.password,
      enabled: b.enabled,
      defaultProjectId: b.default_project_id,
      email: b.email,
      extra: extraOf(b, KNOWN),
    });
    return reply.code(201).send({ user: userView(u, baseUrl(req, cp)) });
  });

  app.get<{ Params: { id: string } }>('/v3/users/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    return { user: userView(cp.identity.getUser(ctx, req.params.id), baseUrl(req, cp)) };
  });

  app.patch<{ Params: { id: string } }>('/v3/users/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const { user: b } = parseInput(updateBody, req.body);
    const u = await cp.identity.updateUser(ctx, req.params.id, {
      name: b.name,
      password: b.password,
      enabled: b.enabled,
      defaultProjectId: b.default_project_id,
      email: b.email,
      extra: extraOf(b, KNOWN),
    });
    return { user: userView(u, baseUrl(req, cp)) };
  });

  app.delete<{ Params: { id: string } }>('/v3/users/:id', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.deleteUser(ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/v3/users/:id/projects', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const base = baseUrl(req, cp);
    return collection('projects', cp.identity.listUserProjects(ctx, req.params.id).map((p) => projectView(p, base)), selfUrl(req, cp));
  });

  app.get<{ Params: { id: string } }>('/v3/users/:id/groups', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const base = baseUrl(req, cp);
    return collection('groups', cp.identity.groups.groupsOf(ctx, req.params.id).map((g) => ({ ...groupView(g, base), membership_expires_at: null })), selfUrl(req, cp));
  });

  // Keystone's self-service password change needs no token: the original password is the proof.
  app.post<{ Params: { id: string } }>('/v3/users/:id/password', async (req, reply) => {
    const { user: b } = parseInput(passwordBody, req.body);
    await cp.identity.changePassword(req.params.id, b.original_password, b.password);
    return reply.code(204).send();
  });
}
