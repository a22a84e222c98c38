// Nova's REST API under /compute: version documents, then the API behind a Keystone token at
// /v2.1 (microversions negotiated on every request) and at the legacy /v2 (the v2.1 API at its
// minimum, no microversion headers), each also with the project id in the path, as Nova takes it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { badRequest } from '../../../core/errors';
import { authOf, requireAuth } from '../auth';
import { registerFlavorRoutes } from './flavor-routes';
import { registerHypervisorRoutes } from './hypervisor-routes';
import { registerImageRoutes } from './image-routes';
import { registerInstanceActionRoutes } from './instance-action-routes';
import { registerKeypairRoutes } from './keypair-routes';
import { registerMetadataRoutes } from './metadata-routes';
import { negotiate, setVersionHeaders, MIN_VERSION, parseVersion } from './microversion';
import { registerProxyRoutes } from './proxy-routes';
import { registerQuotaClassRoutes } from './quota-class-routes';
import { registerQuotaRoutes } from './quota-routes';
import { registerServerActionRoutes } from './server-action-routes';
import { registerServerAddressRoutes } from './server-address-routes';
import { registerServerGroupRoutes } from './server-group-routes';
import { registerServerPasswordRoutes } from './server-password-routes';
import { registerServerRoutes } from './server-routes';
import { registerServerTagRoutes } from './server-tag-routes';
import { registerServiceRoutes } from './service-routes';
import { registerVersionRoutes } from './versions';

const API_PREFIXES = ['/v2.1', '/v2.1/:project_id', '/v2', '/v2/:project_id'];

/** True for the legacy v2 endpoint, which knows no microversions. */
const isLegacyV2 = (req: FastifyRequest): boolean => /^\/compute\/v2(\/|$)/.test(req.url);

function registerApi(api: FastifyInstance, cp: ControlPlane): void {
  registerFlavorRoutes(api, cp);
  registerKeypairRoutes(api, cp);
  registerServerRoutes(api, cp);
  registerServerActionRoutes(api, cp);
  registerServerAddressRoutes(api, cp);
  registerServerTagRoutes(api, cp);
  registerServerPasswordRoutes(api, cp);
  registerMetadataRoutes(api, cp);
  registerInstanceActionRoutes(api, cp);
  registerQuotaRoutes(api, cp);
  registerQuotaClassRoutes(api, cp);
  registerServerGroupRoutes(api, cp);
  registerHypervisorRoutes(api, cp);
  registerImageRoutes(api, cp);
  registerProxyRoutes(api, cp);
  registerServiceRoutes(api, cp);
}

export async function registerComputeApi(app: FastifyInstance, cp: ControlPlane): Promise<void> {
  app.addHook('onRequest', async (req, reply) => {
    // Nova names every request in this header too; instance actions are found by it.
    reply.header('x-compute-request-id', req.requestId);
    if (isLegacyV2(req)) {
      req.novaVersion = parseVersion(MIN_VERSION);
      return;
    }
    const outcome = negotiate(req);
    if (!outcome.ok) {
      setVersionHeaders(reply, parseVersion(MIN_VERSION));
      // Nova's fault wrapper has no name for 406, so it falls back to computeFault.
      const key = outcome.status === 400 ? 'badRequest' : 'computeFault';
      return reply.code(outcome.status).type('application/json').send({ [key]: { code: outcome.status, message: outcome.message } });
    }
    req.novaVersion = outcome.version;
    setVersionHeaders(reply, outcome.version);
  });

  registerVersionRoutes(app, cp);

  const auth = requireAuth(cp);
  for (const prefix of API_PREFIXES) {
    await app.register(
      async (api) => {
        api.addHook('preHandler', auth);
        api.addHook('preHandler', async (req) => {
          const inPath = (req.params as { project_id?: string }).project_id;
          const ctx = authOf(req);
          if (inPath !== undefined && inPath !== ctx.projectId) {
            throw badRequest(`Malformed request URL: URL's project_id '${inPath.slice(0, 64)}' doesn't match Context's project_id '${ctx.projectId}'`);
          }
        });
        registerApi(api, cp);
      },
      { prefix },
    );
  }
}
