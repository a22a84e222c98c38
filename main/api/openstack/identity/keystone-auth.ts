import type { FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import type { RequestContext } from '../../../core/context';
import { unauthorized } from '../../../core/errors';
import type { TokenData } from '../../../identity/types';

export interface KeystoneAuth {
  ctx: RequestContext;
  data: TokenData;
}

/** Keystone's own API accepts unscoped tokens where it makes sense (token checks, listing one's projects). */
export function keystoneAuth(cp: ControlPlane, req: FastifyRequest, opts: { allowUnscoped?: boolean } = {}): KeystoneAuth {
  const token = req.headers['x-auth-token'];
  if (typeof token !== 'string' || token.length === 0) throw unauthorized();
  const { context, data } = cp.identity.validateToken(token, { ...opts, request: { method: req.method, url: req.url } });
  return { ctx: { ...context, requestId: req.requestId ?? context.requestId }, data };
}
