import type { FastifyInstance } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { baseUrl } from '../base-url';

const version = (base: string) => ({
  id: 'v3.14',
  status: 'stable',
  updated: '2020-04-07T00:00:00Z',
  links: [{ rel: 'self', href: `${base}/identity/v3/` }],
  'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
});

/** Keystone's version discovery: 300 with the list at the root, 200 with the one version at /v3. */
export function registerVersionRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const root = async (req: Parameters<typeof baseUrl>[0], reply: import('fastify').FastifyReply) =>
    reply.code(300).send({ versions: { values: [version(baseUrl(req, cp))] } });
  app.get('/', root);
  app.get('/v3', async (req) => ({ version: version(baseUrl(req, cp)) }));
  app.get('/v3/', async (req) => ({ version: version(baseUrl(req, cp)) }));
}
