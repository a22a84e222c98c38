// /servers/{id}/tags[/{tag}] (2.26): list, replace, remove all; check, add, remove one.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { DeskError } from '../../../core/errors';
import { authOf } from '../auth';
import { links } from './links';
import { requireAtLeast } from './microversion';
import { tagListSchema } from './schemas';
import { novaParse } from './validate';

type One = { Params: { id: string; tag: string } };
type All = { Params: { id: string } };

export function registerServerTagRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get<All>('/servers/:id/tags', async (req) => {
    requireAtLeast(req, '2.26');
    return { tags: cp.compute.tags.list(authOf(req), req.params.id) };
  });

  app.put<All>('/servers/:id/tags', async (req) => {
    requireAtLeast(req, '2.26');
    const body = novaParse(z.strictObject({ tags: tagListSchema }), req.body);
    return { tags: cp.compute.tags.replace(authOf(req), req.params.id, body.tags) };
  });

  app.delete<All>('/servers/:id/tags', async (req, reply) => {
    requireAtLeast(req, '2.26');
    cp.compute.tags.removeAll(authOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.get<One>('/servers/:id/tags/:tag', async (req, reply) => {
    requireAtLeast(req, '2.26');
    if (!cp.compute.tags.has(authOf(req), req.params.id, req.params.tag)) throw new DeskError('NotFound', `Server ${req.params.id} has no tag '${req.params.tag}'`);
    return reply.code(204).send();
  });

  app.put<One>('/servers/:id/tags/:tag', async (req, reply) => {
    requireAtLeast(req, '2.26');
    // Nova's schema for this body is null: nothing may be sent.
    if (req.body !== undefined && req.body !== null) novaParse(z.null(), req.body);
    const added = cp.compute.tags.add(authOf(req), req.params.id, req.params.tag);
    if (!added) return reply.code(204).send();
    reply.header('location', links(req, cp, `servers/${req.params.id}/tags/${encodeURIComponent(req.params.tag)}`)[0].href);
    return reply.code(201).send();
  });

  app.delete<One>('/servers/:id/tags/:tag', async (req, reply) => {
    requireAtLeast(req, '2.26');
    cp.compute.tags.remove(authOf(req), req.params.id, req.params.tag);
    return reply.code(204).send();
  });
}
