import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { baseUrl } from '../base-url';
import { MAX_VERSION, MIN_VERSION } from './microversion';

function v21(req: FastifyRequest, cp: ControlPlane) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: MAX_VERSION,
    min_version: MIN_VERSION,
    updated: '2013-07-23T11:33:21Z',
    links: [
      { rel: 'self', href: `${baseUrl(req, cp)}/compute/v2.1/` },
      { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  };
}

/** The legacy v2 API: the same API as v2.1 at its minimum, without microversion headers. */
function v20(req: FastifyRequest, cp: ControlPlane) {
  return {
    id: 'v2.0',
    status: 'SUPPORTED',
    version: '',
    min_version: '',
    updated: '2011-01-21T11:33:21Z',
    links: [
      { rel: 'self', href: `${baseUrl(req, cp)}/compute/v2/` },
      { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2' }],
  };
}

/** GET /compute/ (all versions, 200 like Nova's root) and GET /compute/v2[.1][/] (one version). */
export function registerVersionRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/', async (req) => ({
    versions: [v20(req, cp), v21(req, cp)].map(({ id, status, version, min_version, updated, links }) => ({ id, status, version, min_version, updated, links: links.slice(0, 1) })),
  }));
  app.get('/v2.1', async (req) => ({ version: v21(req, cp) }));
  app.get('/v2.1/', async (req) => ({ version: v21(req, cp) }));
  app.get('/v2', async (req) => ({ version: v20(req, cp) }));
  app.get('/v2/', async (req) => ({ version: v20(req, cp) }));
}
