import Fastify, { type FastifyInstance } from 'fastify';
import { newRequestId } from '../../core/context';
import { DeskError } from '../../core/errors';
import type { ControlPlane } from '../../control-plane';
import { sendError } from '../openstack/errors';
import { registerOpenStackApis } from '../openstack/register';
import { checkHostHeader } from './host-check';
import { registerUiBridge } from './ui-bridge';
import { registerStaticUi } from './static-ui';
import { registerJsonBodyParser } from './json-body';
import { answerClientError } from './client-error';
import { notFoundOrWrongMethod, RouteMethods } from './route-methods';

export interface HttpServerOptions {
  /** Folder with the built renderer (index.html); the UI is not served when absent. */
  uiDir?: string;
  /** Log HTTP requests (off by default: the control plane logs what matters). */
  logRequests?: boolean;
  /** The address the server listens on; on loopback, requests for other Host names are refused (DNS rebinding). */
  bindHost?: string;
}

/**
 * One port serves the OpenStack REST APIs (under /identity, /compute, /image, /network),
 * the UI contract over HTTP + WebSocket (/api), and the UI itself.
 */
export async function buildHttpServer(cp: ControlPlane, opts: HttpServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logRequests ? { level: 'info' } : false,
    // A request without Host is refused in onRequest, in the service's error shape, not by Node with an empty 400.
    http: { requireHostHeader: false },
    clientErrorHandler: answerClientError,
    bodyLimit: cp.config.maxJsonBody,
    // Clients send ids and names in paths; very long ones are still answered with a clean 4xx.
    routerOptions: { maxParamLength: 16 * 1024 },
    genReqId: () => newRequestId(),
  });
  registerJsonBodyParser(app, cp.config.maxJsonBody);
  const routes = new RouteMethods();
  routes.watch(app);
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', async (req, reply) => {
    req.requestId = String(req.id);
    reply.header('x-openstack-request-id', req.requestId);
    try {
      if (req.headers.host === undefined && req.raw.httpVersion === '1.1') throw new DeskError('BadRequest', 'Missing Host header: an HTTP/1.1 request must name the host it is for.');
      // cp.publicUrl is read per request: serve sets it once the port is known.
      checkHostHeader(opts.bindHost, cp.publicUrl, req.headers.host);
    } catch (err) {
      // A refused WebSocket upgrade owns its raw socket: end it after the answer, or it lingers and blocks close().
      if (req.headers.upgrade) reply.raw.once('finish', () => req.raw.socket.destroy());
      throw err;
    }
  });
  app.setErrorHandler((err, req, reply) => sendError(req, reply, err, cp.log));
  app.setNotFoundHandler((req, reply) => sendError(req, reply, notFoundOrWrongMethod(routes, req.method, req.url, reply)));

  await registerOpenStackApis(app, cp);
  await registerUiBridge(app, cp, routes);
  if (opts.uiDir) await registerStaticUi(app, opts.uiDir);
  return app;
}
