import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import type { RequestContext } from '../../../core/context';
import { DeskError } from '../../../core/errors';
import type { RoleAssignment } from '../../../identity/types';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { isTrue, queryStrings } from './query';
import { collection, roleView } from './views';

type Params = { Params: { t?: string; a: string; r?: string } };
type Target = 'projects' | 'domains' | 'system';
type Actor = 'users' | 'groups';

/** Builds the assignment a grant URL names. */
function assignmentOf(target: Target, actor: Actor, inherited: boolean, p: Params['Params']): RoleAssignment {
  return {
    roleId: p.r ?? '',
    ...(actor === 'users' ? { userId: p.a } : { groupId: p.a }),
    ...(target === 'projects' ? { projectId: p.t } : target === 'domains' ? { domainId: p.t } : { system: true }),
    inherited,
  };
}

function assignmentUrl(a: RoleAssignment, base: string): string {
  const actor = a.userId ? `users/${a.userId}` : `groups/${a.groupId}`;
  const target = a.projectId ? `projects/${a.projectId}` : a.domainId ? `domains/${a.domainId}` : 'system';
  return a.inherited ? `${base}/identity/v3/OS-INHERIT/${target}/${actor}/roles/${a.roleId}/inherited_to_projects` : `${base}/identity/v3/${target}/${actor}/roles/${a.roleId}`;
}

function assignmentView(cp: ControlPlane, ctx: RequestContext, a: RoleAssignment, base: string, names: boolean) {
  const ref = (id: string, name: string | null | undefined) => (names ? { id, name: name ?? id } : { id });
  const dom = (id: string | undefined) => (names && id ? { domain: { id, name: cp.identity.domainName(id) ?? id } } : {});
  const role = names ? cp.identity.getRole(ctx, a.roleId) : null;
  const actor = a.userId
    ? { user: { ...ref(a.userId, cp.identity.userName(a.userId)), ...dom(cp.identity.findUser(a.userId)?.domainId) } }
    : { group: { ...ref(a.groupId ?? '', cp.identity.groups.find(a.groupId ?? '')?.name), ...dom(cp.identity.groups.find(a.groupId ?? '')?.domainId) } };
  const project = a.projectId ? cp.identity.findProject(a.projectId) : null;
  const scope = a.projectId
    ? { project: { ...ref(a.projectId, project?.name), ...dom(project?.domainId) } }
    : a.domainId
      ? { domain: ref(a.domainId, cp.identity.domainName(a.domainId)) }
      : { system: { all: true } };
  return {
    links: { assignment: assignmentUrl(a, base) },
    role: { ...ref(a.roleId, role?.name), ...(names && role?.domainId ? { domain: { id: role.domainId } } : {}) },
    scope: { ...scope, ...(a.inherited ? { 'OS-INHERIT:inherited_to': 'projects' } : {}) },
    ...actor,
  };
}

/** Role grants for users and groups on projects, domains and the system, OS-INHERIT, and GET /v3/role_assignments. */
export function registerGrantRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const grantPaths = (target: Target, actor: Actor, inherited: boolean) => {
    const head = target === 'system' ? '/v3/system' : `/v3/${inherited ? 'OS-INHERIT/' : ''}${target}/:t`;
    const tail = inherited ? '/inherited_to_projects' : '';
    const one = `${head}/${actor}/:a/roles/:r${tail}`;
    const all = `${head}/${actor}/:a/roles${tail}`;
    const of = (req: FastifyRequest<Params>) => assignmentOf(target, actor, inherited, req.params);

    app.put<Params>(one, async (req, reply) => {
      const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
      cp.identity.grants.grant(ctx, of(req));
      return reply.code(204).send();
    });
    const check = async (req: FastifyRequest<Params>, reply: FastifyReply) => {
      const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
      const a = of(req);
      if (!cp.identity.grants.check(ctx, a))
        throw new DeskError('NotFound', `Could not find role assignment with role: ${a.roleId}, user or group: ${req.params.a}, project, domain, or system: ${req.params.t ?? 'system'}.`);
      return reply.code(204).send();
    };
    app.head<Params>(one, check);
    app.get<Params>(one, { exposeHeadRoute: false }, check);
    app.delete<Params>(one, async (req, reply) => {
      const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
      cp.identity.grants.revoke(ctx, of(req));
      return reply.code(204).send();
    });
    app.get<Params>(all, async (req) => {
      const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
      const base = baseUrl(req, cp);
      const { roleId: _none, ...where } = of(req);
      return collection('roles', cp.identity.grants.rolesOf(ctx, where).map((r) => roleView(r, base)), selfUrl(req, cp));
    });
  };
  for (const actor of ['users', 'groups'] as const) {
    for (const target of ['projects', 'domains', 'system'] as const) grantPaths(target, actor, false);
    grantPaths('domains', actor, true);
    grantPaths('projects', actor, true);
  }

  app.get('/v3/role_assignments', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const keys = ['user.id', 'group.id', 'scope.project.id', 'scope.domain.id', 'scope.system', 'role.id', 'scope.OS-INHERIT:inherited_to', 'include_names', 'effective', 'include_subtree'] as const;
    const q = queryStrings(req.query, keys);
    const effective = isTrue(q.effective);
    if (effective && q['group.id'] !== undefined) throw new DeskError('BadRequest', 'Combining effective and group filter will always result in an empty list.');
    if (q['scope.project.id'] !== undefined && q['scope.domain.id'] !== undefined) throw new DeskError('BadRequest', 'Specify a domain or project, not both.');
    if (isTrue(q.include_subtree) && q['scope.project.id'] === undefined) throw new DeskError('BadRequest', 'scope.project.id needs to be specified if include_subtree is also specified.');
    const list = cp.identity.grants.list(ctx, {
      userId: q['user.id'],
      groupId: q['group.id'],
      projectId: q['scope.project.id'],
      domainId: q['scope.domain.id'],
      system: q['scope.system'] !== undefined ? true : undefined,
      roleId: q['role.id'],
      inherited: q['scope.OS-INHERIT:inherited_to'] === 'projects' ? true : undefined,
      effective,
      includeSubtree: isTrue(q.include_subtree),
    });
    const base = baseUrl(req, cp);
    const names = isTrue(q.include_names);
    return { role_assignments: list.map((a) => assignmentView(cp, ctx, a, base, names)), links: { self: selfUrl(req, cp), previous: null, next: null } };
  });
}
