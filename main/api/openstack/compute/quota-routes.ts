// /os-quota-sets/{project}[/defaults|/detail] and /limits.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AnyQuotaResource } from '../../../compute/quotas';
import { QUOTA_RESOURCES } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';
import { atLeast } from './microversion';
import { queryOf, requireAdmin } from './policy';
import { legacyShown, quotaShape } from './quota-values';
import { novaParse } from './validate';

/** The legacy resources this microversion still shows (networking until 2.36, files until 2.57), for a project or the defaults. */
function extras(req: FastifyRequest, cp: ControlPlane, projectId?: string): Record<string, number> {
  const all = cp.compute.quotas.legacyLimits(projectId);
  return Object.fromEntries(legacyShown(req, '2.36').map((r) => [r, all[r]]));
}

function readableProject(req: FastifyRequest, projectId: string, rule: string): void {
  const ctx = authOf(req);
  if (projectId !== ctx.projectId && !ctx.isAdmin) throw requireAdmin(req, rule);
}

function updateSchema(req: FastifyRequest) {
  const force = z.union([z.boolean(), z.enum(['True', 'False', 'true', 'false'])]).optional();
  return z.strictObject({ quota_set: z.strictObject({ force, ...quotaShape(req, '2.36') }) });
}

export function registerQuotaRoutes(app: FastifyInstance, cp: ControlPlane): void {
  type P = { Params: { project: string } };
  app.get<P>('/os-quota-sets/:project/defaults', async (req) => ({ quota_set: { id: req.params.project, ...cp.compute.quotas.defaults(), ...extras(req, cp) } }));

  app.get<P>('/os-quota-sets/:project/detail', async (req) => {
    readableProject(req, req.params.project, 'os_compute_api:os-quota-sets:detail');
    const limits = cp.compute.quotas.limits(req.params.project);
    const used = cp.compute.quotas.usage(req.params.project, authOf(req).userId);
    const out: Record<string, unknown> = { id: req.params.project };
    for (const r of QUOTA_RESOURCES) out[r] = { in_use: used[r], limit: limits[r], reserved: 0 };
    for (const [k, v] of Object.entries(extras(req, cp, req.params.project))) out[k] = { in_use: 0, limit: v, reserved: 0 };
    return { quota_set: out };
  });

  app.get<P>('/os-quota-sets/:project', async (req) => {
    readableProject(req, req.params.project, 'os_compute_api:os-quota-sets:show');
    return { quota_set: { id: req.params.project, ...cp.compute.quotas.limits(req.params.project), ...extras(req, cp, req.params.project) } };
  });

  app.put<P>('/os-quota-sets/:project', async (req) => {
    requireAdmin(req, 'os_compute_api:os-quota-sets:update');
    const body = novaParse(updateSchema(req), req.body).quota_set as Record<string, unknown>;
    const force = body.force === true || body.force === 'True' || body.force === 'true';
    const values: Partial<Record<AnyQuotaResource, number>> = {};
    for (const [r, v] of Object.entries(body)) if (r !== 'force' && typeof v === 'number') values[r as AnyQuotaResource] = v;
    const limits = cp.compute.quotas.set(req.params.project, values, { force });
    return { quota_set: { ...limits, ...extras(req, cp, req.params.project) } };
  });

  app.delete<P>('/os-quota-sets/:project', async (req, reply) => {
    requireAdmin(req, 'os_compute_api:os-quota-sets:delete');
    cp.compute.quotas.reset(req.params.project);
    return reply.code(202).send();
  });

  app.get('/limits', async (req) => {
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
    const legacy = cp.compute.quotas.legacyLimits(project);
    if (!atLeast(req, '2.57')) Object.assign(absolute, { maxPersonality: legacy.injected_files, maxPersonalitySize: legacy.injected_file_content_bytes });
    if (!atLeast(req, '2.36')) {
      const { security_groups, security_group_rules, floating_ips } = legacy;
      Object.assign(absolute, { maxSecurityGroups: security_groups, maxSecurityGroupRules: security_group_rules, maxTotalFloatingIps: floating_ips, totalFloatingIpsUsed: 0, totalSecurityGroupsUsed: 0 });
    }
    return { limits: { rate: [], absolute } };
  });
}
