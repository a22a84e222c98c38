// Nova's REST API under /compute: version documents, then everything under /v2.1 behind a
// Keystone token, with microversion negotiation on every request.
import type { FastifyInstance } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { requireAuth } from '../auth';
import { registerFlavorRoutes } from './flavor-routes';
import { registerHypervisorRoutes } from './hypervisor-routes';
import { registerInstanceActionRoutes } from './instance-action-routes';
import { registerKeypairRoutes } from './keypair-routes';
import { registerMetadataRoutes } from './metadata-routes';
import { negotiate, setVersionHeaders, MIN_VERSION, parseVersion } from './microversion';
import { registerQuotaClassRoutes } from './quota-class-routes';
import { registerQuotaRoutes } from './quota-routes';
import { registerServerActionRoutes } from './server-action-routes';
import { registerServerGroupRoutes } from './server-group-routes';
import { registerServerPasswordRoutes } from './server-password-routes';
import { registerServerRoutes } from './server-routes';
import { registerServerTagRoutes } from './server-tag-routes';
import { registerServiceRoutes } from './service-routes';
import { registerVersionRoutes } from './versions';

export async function registerComputeApi(app: FastifyInstance, cp: ControlPlane): Promise<void> {
  app.addHook('onRequest', async (req, reply) => {
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
  await app.register(async (api) => {
    api.addHook('preHandler', auth);
    registerFlavorRoutes(api, cp);
    registerKeypairRoutes(api, cp);
    registerServerRoutes(api, cp);
    registerServerActionRoutes(api, cp);
    registerServerTagRoutes(api, cp);
    registerServerPasswordRoutes(api, cp);
    registerMetadataRoutes(api, cp);
    registerInstanceActionRoutes(api, cp);
    registerQuotaRoutes(api, cp);
    registerQuotaClassRoutes(api, cp);
    registerServerGroupRoutes(api, cp);
    registerHypervisorRoutes(api, cp);
    registerServiceRoutes(api, cp);
  });
}
