// /os-server-groups: policies list before 2.64, a single policy and rules from 2.64.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServerGroupView } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';
import { atLeast } from './microversion';
import { queryOf, truthy } from './policy';
import { novaParse } from './validate';

function render(req: FastifyRequest, g: ServerGroupView): Record<string, unknown> {
  const out: Record<string, unknown> = { id: g.id, name: g.name };
  if (atLeast(req, '2.64')) Object.assign(out, { policy: g.policy, rules: {} });
  else Object.assign(out, { policies: [g.policy], metadata: {} });
  out.members = g.members;
  if (atLeast(req, '2.13')) Object.assign(out, { project_id: g.projectId, user_id: g.userId });
  return out;
}

function createSchema(req: FastifyRequest) {
  const policies = atLeast(req, '2.15') ? ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'] as const : ['affinity', 'anti-affinity'] as const;
  const name = z.string().min(1).max(255);
  if (atLeast(req, '2.64')) {
    return z.strictObject({ server_group: z.strictObject({ name, policy: z.enum(policies), rules: z.strictObject({ max_server_per_host: z.number().int().min(1).optional() }).optional() }) });
  }
  return z.strictObject({ server_group: z.strictObject({ name, policies: z.array(z.enum(policies)).min(1).max(1) }) });
}

export function registerServerGroupRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/os-server-groups', async (req) => {
    const q = queryOf(req);
    const limit = q.limit !== undefined && /^\d{1,9}$/.test(q.limit) ? Number(q.limit) : undefined;
    const offset = q.offset !== undefined && /^\d{1,9}$/.test(q.offset) ? Number(q.offset) : undefined;
    const groups = cp.compute.groups.list(authOf(req), { allProjects: truthy(q.all_projects), limit, offset });
    return { server_groups: groups.map((g) => render(req, g)) };
  });
  app.get<{ Params: { id: string } }>('/os-server-groups/:id', async (req) => ({ server_group: render(req, cp.compute.groups.get(authOf(req), req.params.id)) }));
  app.post('/os-server-groups', async (req) => {
    const b = novaParse(createSchema(req), req.body).server_group as { name: string; policy?: ServerGroupView['policy']; policies?: ServerGroupView['policy'][] };
    const g = cp.compute.groups.create(authOf(req), b.name, b.policy ?? b.policies![0]);
    return { server_group: render(req, g) };
  });
  app.delete<{ Params: { id: string } }>('/os-server-groups/:id', async (req, reply) => {
    cp.compute.groups.delete(authOf(req), req.params.id);
    return reply.code(204).send();
  });
}
