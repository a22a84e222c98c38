import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../core/context';
import { unauthorized } from '../../core/errors';
import type { ControlPlane } from '../../control-plane';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireAuth from a valid X-Auth-Token. */
    auth?: RequestContext;
    /** req-<uuid>, echoed as x-openstack-request-id. */
    requestId: string;
  }
}

/** A preHandler that turns X-Auth-Token into the request's context, or answers 401. */
export function requireAuth(cp: ControlPlane) {
  return async (req: FastifyRequest): Promise<void> => {
    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || token.length === 0) throw unauthorized();
    req.auth = { ...cp.identity.validateToken(token, { request: { method: req.method, url: req.url } }).context, requestId: req.requestId };
  };
}

/** The authenticated context of a request that went through requireAuth. */
export function authOf(req: FastifyRequest): RequestContext {
  if (!req.auth) throw unauthorized();
  return req.auth;
}
