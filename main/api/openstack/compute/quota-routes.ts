// /os-quota-sets/{project}[/defaults|/detail] and /limits.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { QUOTA_RESOURCES, type QuotaResource } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';
import { atLeast } from './microversion';
import { queryOf, requireAdmin } from './policy';
import { novaParse } from './validate';

// Resources Nova still reports before they were dropped from the API (2.36 networking, 2.57 personality).
const NET_DEPRECATED = { fixed_ips: -1, floating_ips: 10, security_group_rules: 20, security_groups: 10 };
const FILE_DEPRECATED = { injected_file_content_bytes: 10240, injected_file_path_bytes: 255, injected_files: 5 };

function extras(req: FastifyRequest): Record<string, number> {
  return { ...(atLeast(req, '2.36') ? {} : NET_DEPRECATED), ...(atLeast(req, '2.57') ? {} : FILE_DEPRECATED) };
}

function readableProject(req: FastifyRequest, projectId: string, rule: string): void {
  const ctx = authOf(req);
  if (projectId !== ctx.projectId && !ctx.isAdmin) throw requireAdmin(req, rule);
}

const quotaValue = z.union([z.number().int().min(-1).max(0x7fffffff), z.string().regex(/^-?[0-9]+$/).transform(Number)]).pipe(z.number().int().min(-1));

function updateSchema(req: FastifyRequest) {
  const shape: Record<string, z.ZodType> = { force: z.union([z.boolean(), z.enum(['True', 'False', 'true', 'false'])]).optional() };
  for (const r of [...QUOTA_RESOURCES, ...Object.keys(extras(req))]) shape[r] = quotaValue.optional();
  return z.strictObject({ quota_set: z.strictObject(shape) });
}

export function registerQuotaRoutes(app: FastifyInstance, cp: ControlPlane): void {
  type P = { Params: { project: string } };
  app.get<P>('/v2.1/os-quota-sets/:project/defaults', async (req) => ({ quota_set: { id: req.params.project, ...cp.compute.quotas.defaults(), ...extras(req) } }));

  app.get<P>('/v2.1/os-quota-sets/:project/detail', async (req) => {
    readableProject(req, req.params.project, 'os_compute_api:os-quota-sets:detail');
    const limits = cp.compute.quotas.limits(req.params.project);
    const used = cp.compute.quotas.usage(req.params.project, authOf(req).userId);
    const out: Record<string, unknown> = { id: req.params.project };
    for (const r of QUOTA_RESOURCES) out[r] = { in_use: used[r], limit: limits[r], reserved: 0 };
    for (const [k, v] of Object.entries(extras(req))) out[k] = { in_use: 0, limit: v, reserved: 0 };
    return { quota_set: out };
  });

  app.get<P>('/v2.1/os-quota-sets/:project', async (req) => {
    readableProject(req, req.params.project, 'os_compute_api:os-quota-sets:show');
    return { quota_set: { id: req.params.project, ...cp.compute.quotas.limits(req.params.project), ...extras(req) } };
  });

  app.put<P>('/v2.1/os-quota-sets/:project', async (req) => {
    requireAdmin(req, 'os_compute_api:os-quota-sets:update');
    const body = novaParse(updateSchema(req), req.body).quota_set as Record<string, unknown>;
    const force = body.force === true || body.force === 'True' || body.force === 'true';
    const values: Partial<Record<QuotaResource, number>> = {};
    for (const r of QUOTA_RESOURCES) if (body[r] !== undefined) values[r] = body[r] as number;
    const limits = cp.compute.quotas.set(req.params.project, values, { force });
    return { quota_set: { ...limits, ...extras(req) } };
  });

  app.delete<P>('/v2.1/os-quota-sets/:project', async (req, reply) => {
    requireAdmin(req, 'os_compute_api:os-quota-sets:delete');
    cp.compute.quotas.reset(req.params.project);
    return reply.code(202).send();
  });

  app.get('/v2.1/limits', async (req) => {
    const ctx = authOf(req);
    const q = queryOf(req);
    const project = q.tenant_id && q.tenant_id !== ctx.projectId ? (requireAdmin(req, 'os_compute_api:limits:other_project'), q.tenant_id) : ctx.projectId;
    const l = cp.compute.quotas.limits(project);
    const u = cp.compute.quotas.usage(project);
    const absolute: Record<string, number> = {
      maxServerMeta: l.metadata_items,
      maxTotalKeypairs: l.key_pairs,
      maxServerGroups: l.server_groups,
      maxServerGroupMembers: l.server_group_members,
      maxTotalCores: l.cores,
      maxTotalInstances: l.instances,
      maxTotalRAMSize: l.ram,
      totalCoresUsed: u.cores,
      totalInstancesUsed: u.instances,
      totalRAMUsed: u.ram,
      totalServerGroupsUsed: u.server_groups,
    };
    if (!atLeast(req, '2.39')) absolute.maxImageMeta = 128;
    if (!atLeast(req, '2.57')) Object.assign(absolute, { maxPersonality: 5, maxPersonalitySize: 10240 });
    if (!atLeast(req, '2.36')) Object.assign(absolute, { maxSecurityGroups: 10, maxSecurityGroupRules: 20, maxTotalFloatingIps: 10, totalFloatingIpsUsed: 0, totalSecurityGroupsUsed: 0 });
    return { limits: { rate: [], absolute } };
  });
}
