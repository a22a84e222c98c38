import type { ControlPlane } from '../../control-plane';
import { newRequestId, type RequestContext } from '../../core/context';

/** The caller a Keystone token stands for; throws Unauthorized when it is invalid or expired. */
export function sessionFromToken(cp: ControlPlane, token: string, requestId = newRequestId()): RequestContext {
  return { ...cp.identity.validateToken(token).context, requestId };
}
