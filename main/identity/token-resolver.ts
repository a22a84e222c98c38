import { newRequestId, type RequestContext } from '../core/context';
import { effectiveRoles } from './implied-roles';
import type { IdentityStore } from './identity-store';
import type { TokenRow } from './token-store';
import type { NamedRef, Project, TokenData, User } from './types';

export interface ScopedRef {
  user: User;
  project: Project | null;
}

const domainRef = (store: IdentityStore, id: string): NamedRef => ({ id, name: store.domain(id)?.name ?? id });

/**
 * What a user may do in a project right now, or null when they may not (disabled, deleted, no role).
 * Roles are read at use, not frozen at issue, so an unassigned role takes effect on the next request.
 */
export function resolveScope(store: IdentityStore, userId: string, projectId: string | null): { user: User; project: Project | null; roles: NamedRef[] } | null {
  const row = store.userRow(userId);
  if (!row || row.enabled !== 1) return null;
  const user: User = { id: row.id, name: row.name, domainId: row.domain_id, enabled: true, defaultProjectId: row.default_project_id, email: row.email, extra: {}, createdAt: row.created_at };
  if (projectId === null) return { user, project: null, roles: [] };
  const project = store.project(projectId);
  if (!project || !project.enabled) return null;
  const roles = effectiveRoles(store, store.rolesOn(userId, projectId));
  if (roles.length === 0) return null;
  return { user, project, roles };
}

/** Builds Keystone's view of a stored token, or null when it no longer stands for anything. */
export function resolveToken(store: IdentityStore, row: TokenRow): TokenData | null {
  if (row.revoked) return null;
  const scope = resolveScope(store, row.user_id, row.project_id);
  if (!scope) return null;
  return {
    methods: row.methods.split(','),
    user: { id: scope.user.id, name: scope.user.name, domain: domainRef(store, scope.user.domainId) },
    project: scope.project ? { id: scope.project.id, name: scope.project.name, domain: domainRef(store, scope.project.domainId) } : null,
    roles: scope.roles,
    auditIds: row.audit_id.split(','),
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
  };
}

/** The request context a token (or the UI's chosen user) acts with; unscoped tokens get an empty project. */
export function contextOf(data: TokenData): RequestContext {
  const roles = data.roles.map((r) => r.name);
  return {
    userId: data.user.id,
    userName: data.user.name,
    domainId: data.user.domain.id,
    projectId: data.project?.id ?? '',
    projectName: data.project?.name ?? '',
    roles,
    isAdmin: roles.includes('admin'),
    requestId: newRequestId(),
  };
}
