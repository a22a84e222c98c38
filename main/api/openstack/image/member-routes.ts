import type { FastifyInstance } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { badRequest } from '../../../core/errors';
import { authOf, type requireAuth } from '../auth';

interface ImageParams {
  id: string;
}
interface MemberParams extends ImageParams {
  member: string;
}

/** The one string field a member request body carries ({"member": …} or {"status": …}), or Glance's 400. */
function bodyField(body: unknown, key: 'member' | 'status'): string {
  const v = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[key] : undefined;
  if (v === undefined) throw badRequest(key === 'member' ? 'Member to be added not specified: send {"member": "<project id>"}.' : 'Status not specified: send {"status": "accepted"}.');
  if (typeof v !== 'string' || v.length === 0) throw badRequest(`Invalid '${key}': a non-empty string.`);
  return v;
}

/** Glance v2 image members: /v2/images/{id}/members[/{member}]. */
export function registerImageMemberRoutes(app: FastifyInstance, cp: ControlPlane, auth: ReturnType<typeof requireAuth>): void {
  app.post<{ Params: ImageParams }>('/v2/images/:id/members', { onRequest: auth }, async (req) =>
    cp.images.members.create(authOf(req), req.params.id, bodyField(req.body, 'member')));

  app.get<{ Params: ImageParams }>('/v2/images/:id/members', { onRequest: auth }, async (req) => ({
    members: cp.images.members.list(authOf(req), req.params.id),
    schema: '/v2/schemas/members',
  }));

  app.get<{ Params: MemberParams }>('/v2/images/:id/members/:member', { onRequest: auth }, async (req) =>
    cp.images.members.get(authOf(req), req.params.id, req.params.member));

  app.put<{ Params: MemberParams }>('/v2/images/:id/members/:member', { onRequest: auth }, async (req) =>
    cp.images.members.update(authOf(req), req.params.id, req.params.member, bodyField(req.body, 'status')));

  app.delete<{ Params: MemberParams }>('/v2/images/:id/members/:member', { onRequest: auth }, async (req, reply) => {
    cp.images.members.delete(authOf(req), req.params.id, req.params.member);
    return reply.code(204).send();
  });
}
