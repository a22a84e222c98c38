import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import type { InferenceRule } from '../../../identity/role-manager';
import type { Role } from '../../../identity/types';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { extraOf, parseInput } from './parse-body';
import { listFilters } from './query';
import { collection, roleView } from './views';

const KNOWN = ['name', 'description', 'domain_id', 'options', 'id', 'links'];
const createBody = z.object({
  role: z.looseObject({ name: z.string(), description: z.string().max(255).nullable().optional(), domain_id: z.string().max(64).nullable().optional(), options: z.record(z.string(), z.unknown()).optional() }),
});
const updateBody = z.object({ role: z.looseObject({ name: z.string().optional(), description: z.string().max(255).nullable().optional(), options: z.record(z.string(), z.unknown()).optional() }) });

type Pair = { Params: { prior: string; implied: string } };

const brief = (r: Role, base: string) => ({ id: r.id, name: r.name, links: { self: `${base}/identity/v3/roles/${r.id}` } });
const ruleView = (rule: InferenceRule, base: string) => ({
  prior_role: brief(rule.prior, base),
  implies: brief(rule.implies, base),
  links: { self: `${base}/identity/v3/roles/${rule.prior.id}/implies/${rule.implies.id}` },
});

/** Roles and role inference rules (implied roles). */
export function registerRoleRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/v3/roles', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const base = baseUrl(req, cp);
    const f = listFilters(req.query);
    return collection('roles', cp.identity.listRoles(ctx, { name: f.name, domainId: f.domainId }).map((r) => roleView(r, base)), selfUrl(req, cp));
  });
  app.post('/v3/roles', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    const { role: b } = parseInput(createBody, req.body);
    const r = cp.identity.createRole(ctx, { name: b.name, domainId: b.domain_id ?? null, description: b.description ?? null, extra: extraOf(b, KNOWN) });
    return reply.code(201).send({ role: roleView(r, baseUrl(req, cp)) });
  });
  app.get<{ Params: { id: string } }>('/v3/roles/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    return { role: roleView(cp.identity.getRole(ctx, req.params.id), baseUrl(req, cp)) };
  });
  app.patch<{ Params: { id: string } }>('/v3/roles/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const { role: b } = parseInput(updateBody, req.body);
    const r = cp.identity.roles.update(ctx, req.params.id, { name: b.name, description: b.description, extra: extraOf(b, KNOWN) });
    return { role: roleView(r, baseUrl(req, cp)) };
  });
  app.delete<{ Params: { id: string } }>('/v3/roles/:id', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.deleteRole(ctx, req.params.id);
    return reply.code(204).send();
  });

  // ---- inference rules ----
  app.put<Pair>('/v3/roles/:prior/implies/:implied', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    const rule = cp.identity.roles.addRule(ctx, req.params.prior, req.params.implied);
    return reply.code(201).send({ role_inference: ruleView(rule, baseUrl(req, cp)), links: { self: selfUrl(req, cp) } });
  });
  app.get<Pair>('/v3/roles/:prior/implies/:implied', { exposeHeadRoute: false }, async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const rule = cp.identity.roles.getRule(ctx, req.params.prior, req.params.implied);
    return { role_inference: ruleView(rule, baseUrl(req, cp)), links: { self: selfUrl(req, cp) } };
  });
  const checkRule = async (req: FastifyRequest<Pair>, reply: FastifyReply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.roles.getRule(ctx, req.params.prior, req.params.implied);
    return reply.code(204).send();
  };
  app.head<Pair>('/v3/roles/:prior/implies/:implied', checkRule);
  app.delete<Pair>('/v3/roles/:prior/implies/:implied', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.roles.removeRule(ctx, req.params.prior, req.params.implied);
    return reply.code(204).send();
  });
  app.get<{ Params: { prior: string } }>('/v3/roles/:prior/implies', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const base = baseUrl(req, cp);
    const prior = cp.identity.getRole(ctx, req.params.prior);
    const implies = cp.identity.roles.implies(ctx, prior.id);
    return { role_inference: { prior_role: brief(prior, base), implies: implies.map((r) => brief(r, base)) }, links: { self: selfUrl(req, cp) } };
  });
  app.get('/v3/role_inferences', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const base = baseUrl(req, cp);
    const rules = cp.identity.roles.allRules(ctx).map((r) => ({ prior_role: brief(r.prior, base), implies: r.implies.map((i) => brief(i, base)) }));
    return { role_inferences: rules, links: { self: selfUrl(req, cp) } };
  });
}
