import type { ControlPlane } from '../../../control-plane';
import { forbidden, notFound } from '../../../core/errors';
import type { QuotaView } from '../../contract/views';
import type { Handler } from '../dispatch';

function quotaView(cp: ControlPlane, projectId: string, userId: string): QuotaView {
  return { projectId, limits: cp.compute.quotas.limits(projectId), usage: { ...cp.compute.quotas.usage(projectId, userId) } };
}

function existingProject(cp: ControlPlane, projectId: string): string {
  if (!cp.identity.findProject(projectId)) throw notFound('Project', projectId);
  return projectId;
}

export const quotaGet: Handler<'quotaGet'> = ({ cp, ctx }, input) => {
  const projectId = input.projectId ?? ctx.projectId;
  if (projectId !== ctx.projectId && !ctx.isAdmin) throw forbidden("Only an admin may read another project's quota.");
  return quotaView(cp, existingProject(cp, projectId), ctx.userId);
};

export const quotaUpdate: Handler<'quotaUpdate'> = ({ cp, ctx }, input) => {
  cp.compute.quotas.set(existingProject(cp, input.projectId), input.limits, { force: input.force });
  return quotaView(cp, input.projectId, ctx.userId);
};
