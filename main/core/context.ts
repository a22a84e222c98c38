import { newUuid } from './ids';

/**
 * Who is asking, and in which project. Every service call that touches project-owned
 * resources takes one; a resource of another project is invisible (NotFound, never Forbidden).
 */
export interface RequestContext {
  userId: string;
  userName: string;
  domainId: string;
  projectId: string;
  projectName: string;
  roles: string[];
  /** True when the user holds the admin role on the scoped project. */
  isAdmin: boolean;
  /** OpenStack-style request id: req-<uuid>. */
  requestId: string;
}

export const newRequestId = (): string => `req-${newUuid()}`;

export function hasRole(ctx: RequestContext, role: 'admin' | 'member' | 'reader'): boolean {
  if (ctx.isAdmin) return true;
  if (role === 'reader') return ctx.roles.some((r) => r === 'reader' || r === 'member');
  return ctx.roles.includes(role);
}
