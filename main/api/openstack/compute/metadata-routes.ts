// /servers/{id}/metadata[/{key}]
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { badRequest } from '../../../core/errors';
import { authOf } from '../auth';
import { metadataSchema } from './schemas';
import { novaParse } from './validate';

const metaBody = z.strictObject({ metadata: metadataSchema });
const itemBody = z.strictObject({ meta: z.record(z.string().min(1).max(255), z.string().max(255)) });

export function registerMetadataRoutes(app: FastifyInstance, cp: ControlPlane): void {
  type P = { Params: { id: string; key: string } };
  app.get<P>('/servers/:id/metadata', async (req) => ({ metadata: cp.compute.getMetadata(authOf(req), req.params.id) }));
  app.put<P>('/servers/:id/metadata', async (req) => {
    const b = novaParse(metaBody, req.body);
    return { metadata: cp.compute.setMetadata(authOf(req), req.params.id, b.metadata, true) };
  });
  app.post<P>('/servers/:id/metadata', async (req) => {
    const b = novaParse(metaBody, req.body);
    return { metadata: cp.compute.setMetadata(authOf(req), req.params.id, b.metadata, false) };
  });
  app.get<P>('/servers/:id/metadata/:key', async (req) => ({ meta: { [req.params.key]: cp.compute.getMetadataItem(authOf(req), req.params.id, req.params.key) } }));
  app.put<P>('/servers/:id/metadata/:key', async (req) => {
    const b = novaParse(itemBody, req.body);
    const keys = Object.keys(b.meta);
    if (keys.length !== 1) throw badRequest('Request body contains too many items');
    if (keys[0] !== req.params.key) throw badRequest('Request body and URI mismatch');
    cp.compute.setMetadata(authOf(req), req.params.id, b.meta, false);
    return { meta: b.meta };
  });
  app.delete<P>('/servers/:id/metadata/:key', async (req, reply) => {
    cp.compute.deleteMetadataItem(authOf(req), req.params.id, req.params.key);
    return reply.code(204).send();
  });
}
