// /os-keypairs: list, show, import or generate (private key returned once), delete.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { KeypairView } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';
import { nextLink, novaTime } from './links';
import { atLeast } from './microversion';
import { pageParams, queryOf, requireAdmin } from './policy';
import { novaParse } from './validate';

function createSchema(req: FastifyRequest) {
  return z.strictObject({
    keypair: z.strictObject({
      name: z.string().min(1).max(255),
      public_key: z.string().max(65535).optional(),
      ...(atLeast(req, '2.2') ? { type: z.enum(['ssh', 'x509']).optional() } : {}),
      ...(atLeast(req, '2.10') ? { user_id: z.string().min(1).max(255).optional() } : {}),
    }),
  });
}

/** The user whose key pairs are meant: ?user_id= (2.10+, admin only) or the caller. */
function targetUser(req: FastifyRequest, requested: string | undefined): string {
  const ctx = authOf(req);
  if (requested === undefined || requested === ctx.userId || !atLeast(req, '2.10')) return ctx.userId;
  requireAdmin(req, 'os_compute_api:os-keypairs:index');
  return requested;
}

export function registerKeypairRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const brief = (req: FastifyRequest, k: KeypairView) => ({
    name: k.name,
    public_key: k.publicKey,
    fingerprint: k.fingerprint,
    ...(atLeast(req, '2.2') ? { type: k.type } : {}),
  });

  app.get('/os-keypairs', async (req) => {
    const q = queryOf(req);
    const page = atLeast(req, '2.35') ? pageParams(q) : {};
    const keys = cp.compute.keypairs.list(targetUser(req, q.user_id), page);
    const body: Record<string, unknown> = { keypairs: keys.map((k) => ({ keypair: brief(req, k) })) };
    if (page.limit !== undefined && keys.length === page.limit && keys.length) body.keypairs_links = nextLink(req, cp, 'os-keypairs', keys[keys.length - 1].name);
    return body;
  });

  app.get<{ Params: { name: string } }>('/os-keypairs/:name', async (req) => {
    const k = cp.compute.keypairs.get(targetUser(req, queryOf(req).user_id), req.params.name);
    return {
      keypair: {
        ...brief(req, k),
        user_id: k.userId,
        created_at: novaTime(k.createdAt),
        deleted: false,
        deleted_at: null,
        updated_at: null,
        id: k.id,
      },
    };
  });

  app.post('/os-keypairs', async (req, reply) => {
    const ctx = authOf(req);
    const b = novaParse(createSchema(req), req.body).keypair;
    const userId = 'user_id' in b && typeof b.user_id === 'string' && b.user_id !== ctx.userId ? (requireAdmin(req, 'os_compute_api:os-keypairs:create'), b.user_id) : ctx.userId;
    const k = await cp.compute.keypairs.create({ name: b.name, userId, projectId: ctx.projectId, publicKey: b.public_key, type: 'type' in b ? (b.type as 'ssh' | 'x509' | undefined) : undefined });
    reply.code(atLeast(req, '2.2') ? 201 : 200);
    return {
      keypair: {
        ...brief(req, k),
        user_id: k.userId,
        ...(k.privateKey ? { private_key: k.privateKey } : {}),
      },
    };
  });

  app.delete<{ Params: { name: string } }>('/os-keypairs/:name', async (req, reply) => {
    const ctx = authOf(req);
    cp.compute.keypairs.delete(targetUser(req, queryOf(req).user_id), req.params.name, ctx.projectId);
    return reply.code(atLeast(req, '2.2') ? 204 : 202).send();
  });
}
