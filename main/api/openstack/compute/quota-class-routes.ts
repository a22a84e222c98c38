// /os-quota-class-sets/{class}: show and update a quota class (admin). The 'default' class holds the
// defaults of every project without its own limits; other classes are kept, as Nova keeps them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AnyQuotaResource } from '../../../compute/quotas';
import { QUOTA_RESOURCES } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { badRequest } from '../../../core/errors';
import { atLeast } from './microversion';
import { requireAdmin } from './policy';
import { legacyShown, quotaShape } from './quota-values';
import { novaParse } from './validate';

/** Before 2.50 a class shows no server group quotas and still shows the networking ones. */
const shownResources = (req: FastifyRequest): AnyQuotaResource[] => [
  ...QUOTA_RESOURCES.filter((r) => atLeast(req, '2.50') || (r !== 'server_groups' && r !== 'server_group_members')),
  ...legacyShown(req, '2.50'),
];

function render(req: FastifyRequest, limits: Record<AnyQuotaResource, number>): Record<string, number> {
  return Object.fromEntries(shownResources(req).map((r) => [r, limits[r]]));
}

export function registerQuotaClassRoutes(app: FastifyInstance, cp: ControlPlane): void {
  type P = { Params: { id: string } };
  app.get<P>('/os-quota-class-sets/:id', async (req) => {
    requireAdmin(req, 'os_compute_api:os-quota-class-sets:show');
    return { quota_class_set: { id: req.params.id, ...render(req, cp.compute.quotas.classLimits(req.params.id)) } };
  });

  app.put<P>('/os-quota-class-sets/:id', async (req) => {
    requireAdmin(req, 'os_compute_api:os-quota-class-sets:update');
    if (req.params.id.length > 255) throw badRequest('Invalid input received: quota_class_name has a maximum length of 255 characters.');
    // Updates take the server group quotas at every microversion, though shows before 2.50 leave them out.
    const body = novaParse(z.strictObject({ quota_class_set: z.strictObject(quotaShape(req, '2.50')) }), req.body).quota_class_set as Partial<Record<AnyQuotaResource, number>>;
    return { quota_class_set: render(req, cp.compute.quotas.updateClass(req.params.id, body)) };
  });
}
