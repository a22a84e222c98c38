import { newRequestId, type RequestContext } from '../core/context';
import type { AssignmentStore } from './assignment-store';
import type { DelegationStore } from './delegation-store';
import type { AppCredential, Trust } from './delegation-types';
import { effectiveRoles, impliedClosure, tokenRoles } from './effective-roles';
import { toUser, type IdentityStore } from './identity-store';
import { expired } from './timestamps';
import { TokenStore, type TokenRow, type TokenScope } from './token-store';
import type { Domain, NamedRef, Project, TokenData, User } from './types';

export interface ResolvedScope {
  user: User;
  project: Project | null;
  domain: Domain | null;
  system: boolean;
  roles: NamedRef[];
  trust: Trust | null;
  appCred: AppCredential | null;
}

/**
 * What a user may do on a scope right now, or null when they may not (disabled or deleted user, project,
 * domain, trust or credential; no role left). Roles are read at use, not frozen at issue, so a revoked
 * role, a removed group membership or an expired trust takes effect on the next request.
 */
export class ScopeResolver {
  constructor(
    private readonly store: IdentityStore,
    private readonly assignments: AssignmentStore,
    private readonly delegation: DelegationStore,
    private readonly now: () => number,
  ) {}

  /** An enabled user in an enabled domain, or null. */
  activeUser(userId: string): User | null {
    const row = this.store.userRow(userId);
    if (!row || row.enabled !== 1 || !this.store.domain(row.domain_id)?.enabled) return null;
    return toUser(row);
  }

  resolve(userId: string, scope: TokenScope): ResolvedScope | null {
    const user = this.activeUser(userId);
    if (!user) return null;
    const base = { user, project: null, domain: null, system: false, roles: [], trust: null, appCred: null };
    if (scope.trustId) return this.throughTrust(base, scope.trustId);
    if (scope.appCredId) return this.throughAppCred(base, scope.appCredId);
    if (scope.projectId) {
      const project = this.activeProject(scope.projectId);
      const roles = project ? effectiveRoles(this.store, this.assignments, userId, { projectId: project.id }) : [];
      return project && roles.length ? { ...base, project, roles } : null;
    }
    if (scope.domainId) {
      const domain = this.store.domain(scope.domainId);
      const roles = domain?.enabled ? effectiveRoles(this.store, this.assignments, userId, { domainId: domain.id }) : [];
      return domain && roles.length ? { ...base, domain, roles } : null;
    }
    if (scope.system) {
      const roles = effectiveRoles(this.store, this.assignments, userId, { system: true });
      return roles.length ? { ...base, system: true, roles } : null;
    }
    return base;
  }

  /** Builds Keystone's view of a stored token, or null when it no longer stands for anything. */
  resolveToken(row: TokenRow): TokenData | null {
    if (row.revoked) return null;
    const s = this.resolve(row.user_id, TokenStore.scopeOf(row));
    if (!s) return null;
    const domainRef = (id: string): NamedRef => ({ id, name: this.store.domain(id)?.name ?? id });
    return {
      methods: row.methods.split(','),
      user: { id: s.user.id, name: s.user.name, domain: domainRef(s.user.domainId) },
      project: s.project ? { id: s.project.id, name: s.project.name, domain: domainRef(s.project.domainId) } : null,
      domain: s.domain ? { id: s.domain.id, name: s.domain.name } : null,
      system: s.system,
      roles: s.roles,
      trust: s.trust
        ? { id: s.trust.id, impersonation: s.trust.impersonation, trustorUserId: s.trust.trustorUserId, trusteeUserId: s.trust.trusteeUserId }
        : null,
      applicationCredential: s.appCred ? { id: s.appCred.id, name: s.appCred.name, restricted: !s.appCred.unrestricted, accessRules: s.appCred.accessRules } : null,
      auditIds: row.audit_id.split(','),
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
    };
  }

  private activeProject(id: string): Project | null {
    const project = this.store.project(id);
    return project?.enabled && this.store.domain(project.domainId)?.enabled ? project : null;
  }

  // A trust lends the trustor's roles on its project while the trustor still holds them all.
  private throughTrust(base: ResolvedScope, trustId: string): ResolvedScope | null {
    const trust = this.delegation.trust(trustId);
    if (!trust || expired(trust.expiresAt, this.now())) return null;
    const actingAs = trust.impersonation ? trust.trustorUserId : trust.trusteeUserId;
    if (base.user.id !== actingAs || !this.activeUser(trust.trustorUserId) || !this.activeUser(trust.trusteeUserId)) return null;
    const project = trust.projectId ? this.activeProject(trust.projectId) : null;
    if (trust.projectId && !project) return null;
    if (project) {
      const held = new Set(effectiveRoles(this.store, this.assignments, trust.trustorUserId, { projectId: project.id }).map((r) => r.id));
      if (!trust.roleIds.every((r) => held.has(r))) return null;
    }
    const roles = tokenRoles(this.store, this.assignments, trust.roleIds);
    return { ...base, project, roles, trust };
  }

  // An application credential carries the roles it was given that its user still holds on its project.
  private throughAppCred(base: ResolvedScope, id: string): ResolvedScope | null {
    const found = this.delegation.appCred(id);
    if (!found || found.cred.userId !== base.user.id || expired(found.cred.expiresAt, this.now())) return null;
    const project = this.activeProject(found.cred.projectId);
    if (!project) return null;
    const held = new Set(effectiveRoles(this.store, this.assignments, base.user.id, { projectId: project.id }).map((r) => r.id));
    const given = new Set(impliedClosure(this.assignments.rules(), found.cred.roleIds));
    const roles = tokenRoles(this.store, this.assignments, found.cred.roleIds).filter((r) => held.has(r.id) && given.has(r.id));
    return roles.length ? { ...base, project, roles, appCred: found.cred } : null;
  }
}

/** The request context a token (or the UI's chosen user) acts with; a token not scoped to a project gets an empty project. */
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
