import { DeskError, unauthorized } from '../core/errors';
import type { IdentityStore, UserRow } from './identity-store';
import { verifyPassword } from './password-hash';
import { resolveScope } from './token-resolver';
import { hashToken, newAuditId, type TokenStore } from './token-store';
import type { AuthRequest, EntityRef, Project } from './types';

export interface AuthOutcome {
  userId: string;
  projectId: string | null;
  methods: string[];
  auditIds: string[];
  /** Set when the new token must end with its parent (rescoping); null means now + TTL. */
  inheritExpiry: string | null;
}

const SUFFIX = ' - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';
const expecting = (what: string, where: string) => new DeskError('BadRequest', `Expecting to find ${what} in ${where}${SUFFIX}`);

function domainIdOf(store: IdentityStore, ref: EntityRef, where: string): string | null {
  if (!ref.domain) throw expecting('domain', where);
  if (ref.domain.id !== undefined) return store.domain(ref.domain.id)?.enabled ? ref.domain.id : null;
  if (ref.domain.name !== undefined) {
    const d = store.domainByName(ref.domain.name);
    return d?.enabled ? d.id : null;
  }
  throw expecting('id or name', 'domain');
}

function findUser(store: IdentityStore, ref: EntityRef): UserRow | null {
  if (ref.id !== undefined) return store.userRow(ref.id);
  if (ref.name === undefined) throw expecting('id or name', 'user');
  const domainId = domainIdOf(store, ref, 'user');
  return domainId ? store.userRowByName(domainId, ref.name) : null;
}

function findProject(store: IdentityStore, ref: EntityRef): Project | null {
  if (ref.id !== undefined) return store.project(ref.id);
  if (ref.name === undefined) throw expecting('id or name', 'project');
  const domainId = domainIdOf(store, ref, 'project');
  return domainId ? store.projectByName(domainId, ref.name) : null;
}

/**
 * Keystone's POST /v3/auth/tokens decision: who (password or an existing token) and which scope
 * (explicit project, the user's default project, or none). Every refusal is the same bare 401.
 */
export async function authenticate(store: IdentityStore, tokens: TokenStore, auth: AuthRequest, now: number): Promise<AuthOutcome> {
  if (auth.methods.length === 0) throw expecting('methods', 'identity');
  for (const m of auth.methods) {
    if (m !== 'password' && m !== 'token') throw unauthorized();
  }
  let userId: string | null = null;
  let methods = [...new Set(auth.methods)];
  let auditIds = [newAuditId()];
  let inheritExpiry: string | null = null;

  if (methods.includes('password')) {
    if (!auth.password) throw expecting('password', 'identity');
    const row = findUser(store, auth.password.user);
    const ok = await verifyPassword(auth.password.user.password, row?.password_hash ?? null);
    if (!row || !ok || row.enabled !== 1) throw unauthorized();
    userId = row.id;
  }
  if (methods.includes('token')) {
    if (!auth.token) throw expecting('token', 'identity');
    const parent = tokens.find(hashToken(auth.token.id));
    if (!parent || parent.revoked || Date.parse(parent.expires_at) <= now) throw unauthorized();
    if (!resolveScope(store, parent.user_id, parent.project_id)) throw unauthorized();
    if (userId !== null && userId !== parent.user_id) throw unauthorized();
    userId = parent.user_id;
    // A rescoped token keeps its parent's expiry and methods, and carries the parent's audit id.
    inheritExpiry = parent.expires_at;
    methods = [...new Set([...methods, ...parent.methods.split(',')])];
    auditIds = [auditIds[0], parent.audit_id.split(',')[0]];
  }
  if (userId === null) throw unauthorized();
  const user = store.userRow(userId);
  if (!user || user.enabled !== 1) throw unauthorized();

  let projectId: string | null = null;
  if (auth.scope && auth.scope !== 'unscoped') {
    const project = findProject(store, auth.scope.project);
    if (!project || !project.enabled || !resolveScope(store, userId, project.id)) throw unauthorized();
    projectId = project.id;
  } else if (auth.scope === undefined && user.default_project_id && resolveScope(store, userId, user.default_project_id)) {
    // Like Keystone: no scope asked, so the default project is used when the user still has a role there.
    projectId = user.default_project_id;
  }
  return { userId, projectId, methods, auditIds, inheritExpiry };
}
