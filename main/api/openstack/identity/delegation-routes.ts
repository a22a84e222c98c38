import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { delegatorOf } from '../../../identity/app-credential-manager';
import type { AppCredential } from '../../../identity/delegation-types';
import type { Role } from '../../../identity/types';
import { baseUrl, selfUrl } from '../base-url';
import { accessRuleView, appCredView, trustView } from './delegation-views';
import { keystoneAuth } from './keystone-auth';
import { parseInput } from './parse-body';
import { queryStrings } from './query';
import { collection, roleView } from './views';

const roleRef = z.object({ id: z.string().min(1).max(64).optional(), name: z.string().min(1).max(255).optional() });
const appCredBody = z.object({
  application_credential: z.object({
    name: z.string(),
    description: z.string().max(65535).nullable().optional(),
    secret: z.string().min(1).max(4096).optional(),
    expires_at: z.string().max(64).nullable().optional(),
    roles: z.array(roleRef).max(100).optional(),
    unrestricted: z.boolean().optional(),
    access_rules: z
      .array(z.object({ id: z.string().min(1).max(64).optional(), service: z.string().max(64).optional(), path: z.string().max(255).optional(), method: z.string().max(16).optional() }))
      .max(100)
      .optional(),
  }),
});
const trustBody = z.object({
  trust: z.object({
    trustor_user_id: z.string().min(1).max(64),
    trustee_user_id: z.string().min(1).max(64),
    impersonation: z.boolean(),
    project_id: z.string().min(1).max(64).nullable().optional(),
    roles: z.array(roleRef).max(100).optional(),
    expires_at: z.string().max(64).nullable().optional(),
    remaining_uses: z.number().int().nullable().optional(),
    allow_redelegation: z.literal(false, 'redelegation is not supported by DeskStack; leave allow_redelegation out').optional(),
  }),
});

type User = { Params: { user: string } };
type Cred = { Params: { user: string; id: string } };
type TrustId = { Params: { id: string } };
type TrustRole = { Params: { id: string; role: string } };

/** Application credentials (/v3/users/{id}/application_credentials) and trusts (OS-TRUST). */
export function registerDelegationRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const acs = cp.identity.appCredentials;
  const rolesOf = (ids: string[]): Role[] => ids.flatMap((id) => cp.identity.findRole(id) ?? []);
  const credView = (c: AppCredential, base: string, secret?: string) => appCredView(c, rolesOf(c.roleIds), base, secret);

  app.post<User>('/v3/users/:user/application_credentials', async (req, reply) => {
    const { ctx, data } = keystoneAuth(cp, req);
    const { application_credential: b } = parseInput(appCredBody, req.body);
    const { cred, secret } = await acs.create(ctx, delegatorOf(data), req.params.user, {
      name: b.name,
      description: b.description,
      secret: b.secret,
      expiresAt: b.expires_at,
      roles: b.roles,
      unrestricted: b.unrestricted,
      accessRules: b.access_rules,
    });
    return reply.code(201).send({ application_credential: credView(cred, baseUrl(req, cp), secret) });
  });
  app.get<User>('/v3/users/:user/application_credentials', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const q = queryStrings(req.query, ['name'] as const);
    const base = baseUrl(req, cp);
    return collection('application_credentials', acs.list(ctx, req.params.user, q).map((c) => credView(c, base)), selfUrl(req, cp));
  });
  app.get<Cred>('/v3/users/:user/application_credentials/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    return { application_credential: credView(acs.get(ctx, req.params.user, req.params.id), baseUrl(req, cp)) };
  });
  app.delete<Cred>('/v3/users/:user/application_credentials/:id', async (req, reply) => {
    const { ctx, data } = keystoneAuth(cp, req, { allowUnscoped: true });
    acs.delete(ctx, delegatorOf(data), req.params.user, req.params.id);
    return reply.code(204).send();
  });

  type Rule = { Params: { user: string; id: string } };
  app.get<User>('/v3/users/:user/access_rules', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    return collection('access_rules', acs.listAccessRules(ctx, req.params.user).map(accessRuleView), selfUrl(req, cp));
  });
  app.get<Rule>('/v3/users/:user/access_rules/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    return { access_rule: accessRuleView(acs.getAccessRule(ctx, req.params.user, req.params.id)) };
  });
  app.delete<Rule>('/v3/users/:user/access_rules/:id', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    acs.deleteAccessRule(ctx, req.params.user, req.params.id);
    return reply.code(204).send();
  });

  const trusts = cp.identity.trusts;
  const OT = '/v3/OS-TRUST/trusts';
  app.post(OT, async (req, reply) => {
    const { ctx, data } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { trust: b } = parseInput(trustBody, req.body);
    const t = trusts.create(ctx, delegatorOf(data), {
      trustorUserId: b.trustor_user_id,
      trusteeUserId: b.trustee_user_id,
      projectId: b.project_id,
      impersonation: b.impersonation,
      expiresAt: b.expires_at,
      remainingUses: b.remaining_uses,
      roles: b.roles,
    });
    return reply.code(201).send({ trust: trustView(t, rolesOf(t.roleIds), baseUrl(req, cp)) });
  });
  const listTrusts = async (req: FastifyRequest) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const q = queryStrings(req.query, ['trustor_user_id', 'trustee_user_id'] as const);
    const base = baseUrl(req, cp);
    const list = trusts.list(ctx, { trustorUserId: q.trustor_user_id, trusteeUserId: q.trustee_user_id });
    return collection('trusts', list.map((t) => trustView(t, rolesOf(t.roleIds), base)), selfUrl(req, cp));
  };
  app.get(OT, listTrusts);
  // Tempest and keystoneclient list trusts with a trailing slash.
  app.get(`${OT}/`, listTrusts);
  app.get<TrustId>(`${OT}/:id`, async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const t = trusts.get(ctx, req.params.id);
    return { trust: trustView(t, rolesOf(t.roleIds), baseUrl(req, cp)) };
  });
  app.delete<TrustId>(`${OT}/:id`, async (req, reply) => {
    trusts.delete(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id);
    return reply.code(204).send();
  });
  app.get<TrustId>(`${OT}/:id/roles`, async (req) => {
    const base = baseUrl(req, cp);
    return collection('roles', trusts.roles(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id).map((r) => roleView(r, base)), selfUrl(req, cp));
  });
  app.get<TrustRole>(`${OT}/:id/roles/:role`, { exposeHeadRoute: false }, async (req) => ({
    role: roleView(trusts.role(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, req.params.role), baseUrl(req, cp)),
  }));
  app.head<TrustRole>(`${OT}/:id/roles/:role`, async (req: FastifyRequest<TrustRole>, reply: FastifyReply) => {
    trusts.role(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, req.params.role);
    return reply.code(200).send();
  });
}
