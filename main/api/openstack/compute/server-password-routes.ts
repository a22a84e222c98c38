// /servers/{id}/os-server-password: the password a guest left (GET), cleared by DELETE (204).
import type { FastifyInstance } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';

export function registerServerPasswordRoutes(app: FastifyInstance, cp: ControlPlane): void {
  type P = { Params: { id: string } };
  app.get<P>('/servers/:id/os-server-password', async (req) => ({ password: cp.compute.serverPassword(authOf(req), req.params.id) }));
  app.delete<P>('/servers/:id/os-server-password', async (req, reply) => {
    cp.compute.clearServerPassword(authOf(req), req.params.id);
    return reply.code(204).send();
  });
}
