import type { ControlPlane } from '../../control-plane';
import { newRequestId, type RequestContext } from '../../core/context';

/** The caller a Keystone token stands for; throws Unauthorized when it is invalid or expired. */
export function sessionFromToken(cp: ControlPlane, token: string, requestId = newRequestId()): RequestContext {
  return { ...cp.identity.validateToken(token).context, requestId };
}

/** The desktop window's session: the local admin at first; the project switcher (authRescope) moves it. */
export class WindowSession {
  constructor(private ctx: RequestContext) {}

  get current(): RequestContext {
    return this.ctx;
  }

  readonly rescope = (ctx: RequestContext): void => {
    this.ctx = ctx;
  };
}
