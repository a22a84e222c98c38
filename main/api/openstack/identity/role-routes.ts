import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import type { RequestContext } from '../../../core/context';
import { DeskError } from '../../../core/errors';
import type { RoleAssignment } from '../../../identity/types';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { parseInput } from './parse-body';
import { listFilters, pick } from './query';
import { collection, domainView, roleView } from './views';

const createBody = z.object({
  role: z.looseObject({ name: z.string(), description: z.string().max(255).nullable().optional(), domain_id: z.null().optional(), options: z.record(z.string(), z.unknown()).optional() }),
});
const assignmentQuery = z.object({
  'user.id': z.string().max(64).optional(),
  'scope.project.id': z.string().max(64).optional(),
  'role.id': z.string().max(64).optional(),
  include_names: z.string().max(16).optional(),
  effective: z.string().max(16).optional(),
});

type GrantParams = { Params: { p: string; u: string; r: string } };
const grantOf = (req: FastifyRequest<GrantParams>): RoleAssignment => ({ projectId: req.params.p, userId: req.params.u, roleId: req.params.r });

function assignmentView(cp: ControlPlane, ctx: RequestContext, a: RoleAssignment, base: string, names: boolean) {
  const ref = (id: string, name: string | null | undefined) => (names ? { id, name: name ?? id } : { id });
  const dom = (id: string | undefined) => (names && id ? { domain: { id, name: cp.identity.domainName(id) ?? id } } : {});
  const user = cp.identity.findUser(a.userId);
  const role = names ? cp.identity.getRole(ctx, a.roleId) : null;
  const project = names ? cp.identity.findProject(a.projectId) : null;
  return {
    links: { assignment: `${base}/identity/v3/projects/${a.projectId}/users/${a.userId}/roles/${a.roleId}` },
    role: ref(a.roleId, role?.name),
    scope: { project: { ...ref(a.projectId, project?.name), ...dom(project?.domainId) } },
    user: { ...ref(a.userId, user?.name), ...dom(user?.domainId) },
  };
}

export function registerRoleRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/v3/roles', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const base = baseUrl(req, cp);
    return collection('roles', cp.identity.listRoles(ctx, { name: listFilters(req.query).name }).map((r) => roleView(r, base)), selfUrl(req, cp));
  });
  app.post('/v3/roles', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    const { role: b } = parseInput(createBody, req.body);
    const { name, description, domain_id: _d, options: _o, ...extra } = b;
    const r = cp.identity.createRole(ctx, { name, description: description ?? null, extra });
    return reply.code(201).send({ role: roleView(r, baseUrl(req, cp)) });
  });
  app.get<{ Params: { id: string } }>('/v3/roles/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    return { role: roleView(cp.identity.getRole(ctx, req.params.id), baseUrl(req, cp)) };
  });
  app.delete<{ Params: { id: string } }>('/v3/roles/:id', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.deleteRole(ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get('/v3/domains', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const f = listFilters(req.query);
    const base = baseUrl(req, cp);
    return collection('domains', cp.identity.listDomains(ctx, { name: f.name, enabled: f.enabled }).map((d) => domainView(d, base)), selfUrl(req, cp));
  });
  app.get<{ Params: { id: string } }>('/v3/domains/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    return { domain: domainView(cp.identity.getDomain(ctx, req.params.id), baseUrl(req, cp)) };
  });

  app.put<GrantParams>('/v3/projects/:p/users/:u/roles/:r', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.assignRole(ctx, grantOf(req));
    return reply.code(204).send();
  });
  const checkGrant = async (req: FastifyRequest<GrantParams>, reply: FastifyReply) => {
    const { ctx } = keystoneAuth(cp, req);
    const a = grantOf(req);
    if (!cp.identity.checkRole(ctx, a))
      throw new DeskError('NotFound', `Could not find role assignment with role: ${a.roleId}, user or group: ${a.userId}, project, domain, or system: ${a.projectId}.`);
    return reply.code(204).send();
  };
  app.head<GrantParams>('/v3/projects/:p/users/:u/roles/:r', checkGrant);
  app.get<GrantParams>('/v3/projects/:p/users/:u/roles/:r', { exposeHeadRoute: false }, checkGrant);
  app.delete<GrantParams>('/v3/projects/:p/users/:u/roles/:r', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.unassignRole(ctx, grantOf(req));
    return reply.code(204).send();
  });
  app.get<{ Params: { p: string; u: string } }>('/v3/projects/:p/users/:u/roles', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const base = baseUrl(req, cp);
    const ids = cp.identity.listRoleAssignments(ctx, { projectId: req.params.p, userId: req.params.u }).map((a) => a.roleId);
    return collection('roles', ids.map((id) => roleView(cp.identity.getRole(ctx, id), base)), selfUrl(req, cp));
  });

  app.get('/v3/role_assignments', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const q = parseInput(assignmentQuery, pick(req.query, ['user.id', 'scope.project.id', 'role.id', 'include_names', 'effective']));
    const flag = (v: string | undefined) => v !== undefined && !['0', 'false'].includes(v.toLowerCase());
    const names = flag(q.include_names);
    const list = cp.identity.listRoleAssignments(ctx, { userId: q['user.id'], projectId: q['scope.project.id'], roleId: q['role.id'], effective: flag(q.effective) });
    const base = baseUrl(req, cp);
    return { role_assignments: list.map((a) => assignmentView(cp, ctx, a, base, names)), links: { self: selfUrl(req, cp), previous: null, next: null } };
  });
}
