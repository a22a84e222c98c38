import { DeskError, forbidden, unauthorized } from '../core/errors';
import type { DelegationStore } from './delegation-store';
import type { IdentityStore, UserRow } from './identity-store';
import { verifyPassword } from './password-hash';
import { expired } from './timestamps';
import type { ScopeResolver } from './token-resolver';
import { hashToken, newAuditId, TokenStore, UNSCOPED, type TokenScope } from './token-store';
import type { AuthRequest, EntityRef, Project } from './types';

export interface AuthOutcome {
  userId: string;
  scope: TokenScope;
  methods: string[];
  auditIds: string[];
  /** Set when the new token must end with its parent (rescoping); null means now + TTL. */
  inheritExpiry: string | null;
  /** A trust's or application credential's own expiry, which the token may not outlive. */
  capExpiry: string | null;
}

const METHODS = ['password', 'token', 'application_credential'];
const SUFFIX = ' - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';
const expecting = (what: string, where: string) => new DeskError('BadRequest', `Expecting to find ${what} in ${where}${SUFFIX}`);

/**
 * Keystone's POST /v3/auth/tokens decision: who (password, an existing token or an application credential)
 * and which scope (a project, a domain, the system, a trust, the default project, or none).
 * Every failed proof of identity is the same bare 401.
 */
export class Authenticator {
  constructor(
    private readonly store: IdentityStore,
    private readonly tokens: TokenStore,
    private readonly delegation: DelegationStore,
    private readonly resolver: ScopeResolver,
    private readonly now: () => number,
  ) {}

  async authenticate(auth: AuthRequest): Promise<AuthOutcome> {
    if (auth.methods.length === 0) throw expecting('methods', 'identity');
    if (auth.methods.some((m) => !METHODS.includes(m))) throw unauthorized();
    let methods = [...new Set(auth.methods)];
    let auditIds = [newAuditId()];
    let userId: string | null = null;
    let inheritExpiry: string | null = null;

    if (methods.includes('application_credential')) return this.byAppCredential(auth, methods, auditIds);
    if (methods.includes('password')) {
      if (!auth.password) throw expecting('password', 'identity');
      const row = this.findUser(auth.password.user);
      const ok = await verifyPassword(auth.password.user.password, row?.password_hash ?? null);
      if (!row || !ok || row.enabled !== 1) throw unauthorized();
      userId = row.id;
    }
    if (methods.includes('token')) {
      if (!auth.token) throw expecting('token', 'identity');
      const parent = this.tokens.find(hashToken(auth.token.id));
      if (!parent || parent.revoked || Date.parse(parent.expires_at) <= this.now()) throw unauthorized();
      if (!this.resolver.resolve(parent.user_id, TokenStore.scopeOf(parent))) throw unauthorized();
      // Keystone: a token got through a trust or an application credential cannot be turned into another.
      if (parent.trust_id) throw forbidden('A token issued through a trust cannot be rescoped.');
      if (parent.application_credential_id) throw forbidden('A token issued for an application credential cannot be rescoped.');
      if (userId !== null && userId !== parent.user_id) throw unauthorized();
      userId = parent.user_id;
      // A rescoped token keeps its parent's expiry and methods, and carries the parent's audit id.
      inheritExpiry = parent.expires_at;
      methods = [...new Set([...methods, ...parent.methods.split(',')])];
      auditIds = [auditIds[0], parent.audit_id.split(',')[0]];
    }
    if (userId === null || !this.resolver.activeUser(userId)) throw unauthorized();

    const { scope, userId: actingAs, capExpiry } = this.scopeFor(userId, auth);
    if (!this.resolver.resolve(actingAs, scope)) throw unauthorized();
    if (scope.trustId && !this.delegation.useTrust(this.delegation.trust(scope.trustId)!)) throw unauthorized('The trust has no uses left.');
    return { userId: actingAs, scope, methods, auditIds, inheritExpiry, capExpiry };
  }

  private async byAppCredential(auth: AuthRequest, methods: string[], auditIds: string[]): Promise<AuthOutcome> {
    const ac = auth.applicationCredential;
    if (!ac) throw expecting('application_credential', 'identity');
    if (auth.scope !== undefined) throw unauthorized('An application credential is scoped to its own project; ask for no scope.');
    let found: ReturnType<DelegationStore['appCred']> = null;
    if (ac.id !== undefined) found = this.delegation.appCred(ac.id);
    else if (ac.name !== undefined && ac.user) {
      const owner = this.findUser(ac.user);
      found = owner ? this.delegation.appCredByName(owner.id, ac.name) : null;
    } else throw expecting('id or name and user', 'application_credential');
    const ok = await verifyPassword(ac.secret, found?.secretHash ?? null);
    if (!found || !ok || expired(found.cred.expiresAt, this.now())) throw unauthorized();
    const scope: TokenScope = { ...UNSCOPED, appCredId: found.cred.id };
    if (!this.resolver.resolve(found.cred.userId, scope)) throw unauthorized();
    return { userId: found.cred.userId, scope, methods, auditIds, inheritExpiry: null, capExpiry: found.cred.expiresAt };
  }

  private scopeFor(userId: string, auth: AuthRequest): { scope: TokenScope; userId: string; capExpiry: string | null } {
    const s = auth.scope;
    const plain = (scope: Partial<TokenScope>) => ({ scope: { ...UNSCOPED, ...scope }, userId, capExpiry: null });
    if (s === 'unscoped') return plain({});
    if (s === undefined) {
      // Like Keystone: no scope asked, so the default project is used when the user still has a role there.
      const def = this.store.userRow(userId)?.default_project_id ?? null;
      return def && this.resolver.resolve(userId, { ...UNSCOPED, projectId: def }) ? plain({ projectId: def }) : plain({});
    }
    if ('project' in s) {
      const project = this.findProject(s.project);
      if (!project) throw unauthorized();
      return plain({ projectId: project.id });
    }
    if ('domain' in s) {
      const domainId = this.domainIdOf({ domain: s.domain }, 'scope');
      if (!domainId) throw unauthorized();
      return plain({ domainId });
    }
    if ('system' in s) return plain({ system: true });
    const trust = this.delegation.trust(s.trust);
    if (!trust) throw new DeskError('NotFound', `Could not find trust: ${s.trust}.`);
    if (trust.trusteeUserId !== userId) throw forbidden('The user is not the trustee of this trust.');
    if (expired(trust.expiresAt, this.now())) throw unauthorized('The trust has expired.');
    return { scope: { ...UNSCOPED, trustId: trust.id }, userId: trust.impersonation ? trust.trustorUserId : trust.trusteeUserId, capExpiry: trust.expiresAt };
  }

  private domainIdOf(ref: EntityRef, where: string): string | null {
    if (!ref.domain) throw expecting('domain', where);
    if (ref.domain.id !== undefined) return this.store.domain(ref.domain.id)?.enabled ? ref.domain.id : null;
    if (ref.domain.name !== undefined) {
      const d = this.store.domainByName(ref.domain.name);
      return d?.enabled ? d.id : null;
    }
    throw expecting('id or name', 'domain');
  }

  private findUser(ref: EntityRef): UserRow | null {
    if (ref.id !== undefined) return this.store.userRow(ref.id);
    if (ref.name === undefined) throw expecting('id or name', 'user');
    const domainId = this.domainIdOf(ref, 'user');
    return domainId ? this.store.userRowByName(domainId, ref.name) : null;
  }

  private findProject(ref: EntityRef): Project | null {
    if (ref.id !== undefined) return this.store.project(ref.id);
    if (ref.name === undefined) throw expecting('id or name', 'project');
    const domainId = this.domainIdOf(ref, 'project');
    return domainId ? this.store.projectByName(domainId, ref.name) : null;
  }
}
