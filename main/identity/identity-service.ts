import type { Config } from '../core/config';
import type { RequestContext } from '../core/context';
import { newRequestId } from '../core/context';
import type { Db } from '../core/db';
import { DeskError, unauthorized } from '../core/errors';
import type { EventBus } from '../core/events';
import { authenticate } from './authenticate';
import { ADMIN_PROJECT_KEY, ADMIN_USER_KEY, bootstrapIdentity } from './bootstrap';
import { getSetting as readSetting } from '../core/settings';
import { buildCatalog, type CatalogEntry } from './catalog';
import type { IdentityDeps } from './identity-deps';
import { notFoundIn } from './identity-errors';
import { IdentityStore, toUser } from './identity-store';
import { ProjectManager, type ProjectFilter } from './project-manager';
import { RoleManager, type AssignmentFilter } from './role-manager';
import { contextOf, resolveScope, resolveToken } from './token-resolver';
import { hashToken, TokenStore } from './token-store';
import { verifyPassword } from './password-hash';
import type { AuthRequest, Domain, Project, ProjectInput, ProjectPatch, Role, RoleAssignment, RoleInput, TokenData, User, UserInput, UserPatch } from './types';
import { UserManager, type UserFilter } from './user-manager';

export interface IdentityOptions {
  /** Milliseconds since the epoch; tests pass a controllable clock. */
  now?: () => number;
}

export interface IssuedToken {
  token: string;
  data: TokenData;
}

const CACHE_LIMIT = 10_000;

/**
 * Keystone for DeskStack: users, projects, roles and opaque bearer tokens.
 * Token checks sit on every REST call, so resolved tokens are cached until any identity change.
 */
export class IdentityService {
  private readonly store: IdentityStore;
  private readonly tokens: TokenStore;
  private readonly now: () => number;
  private readonly cache = new Map<string, TokenData>();
  private readonly deps: IdentityDeps;
  private readonly projectMgr: ProjectManager;
  private readonly userMgr: UserManager;
  private readonly roleMgr: RoleManager;
  private ids: { userId: string | null; projectId: string | null } = { userId: null, projectId: null };

  constructor(
    private readonly db: Db,
    bus: EventBus,
    private readonly config: Config,
    opts: IdentityOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.store = new IdentityStore(db);
    this.tokens = new TokenStore(db, this.now);
    this.deps = { store: this.store, tokens: this.tokens, bus, now: this.now, changed: () => this.cache.clear(), protectedIds: () => this.ids };
    this.projectMgr = new ProjectManager(this.deps);
    this.userMgr = new UserManager(this.deps);
    this.roleMgr = new RoleManager(this.deps);
  }

  /** Idempotent first-start setup; returns the admin password only when it was generated now. */
  bootstrap(opts: { adminPassword?: string } = {}): { generatedPassword: string | null } {
    const out = bootstrapIdentity(this.db, this.store, opts.adminPassword, new Date(this.now()).toISOString());
    this.ids = { userId: readSetting(this.db, ADMIN_USER_KEY), projectId: readSetting(this.db, ADMIN_PROJECT_KEY) };
    this.cache.clear();
    return out;
  }

  // ---- tokens ----

  /** POST /v3/auth/tokens: password or token (rescope) authentication; 401 for every refusal. */
  async issueToken(auth: AuthRequest): Promise<IssuedToken> {
    const out = await authenticate(this.store, this.tokens, auth, this.now());
    const issued = this.now();
    const expiresAt = out.inheritExpiry ?? new Date(issued + this.config.tokenTtlSeconds * 1000).toISOString();
    const { token, row } = this.tokens.create({ ...out, issuedAt: new Date(issued).toISOString(), expiresAt });
    const data = resolveToken(this.store, row);
    if (!data) throw unauthorized();
    return { token, data };
  }

  /**
   * Checks a token on the hot path: one indexed lookup, then cached until an identity change.
   * Unscoped tokens are refused unless allowUnscoped (only Keystone's own API accepts them).
   */
  validateToken(token: string, opts: { allowUnscoped?: boolean } = {}): { context: RequestContext; data: TokenData } {
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) throw unauthorized();
    const hash = hashToken(token);
    let data = this.cache.get(hash);
    if (!data) {
      const row = this.tokens.find(hash);
      data = row ? (resolveToken(this.store, row) ?? undefined) : undefined;
      if (!data) throw unauthorized();
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(hash, data);
    }
    if (Date.parse(data.expiresAt) <= this.now()) {
      this.cache.delete(hash);
      throw unauthorized();
    }
    if (!data.project && !opts.allowUnscoped) throw unauthorized();
    return { context: contextOf(data), data };
  }

  /** DELETE /v3/auth/tokens; 404 (Keystone's answer) when the token is unknown, expired or already revoked. */
  revokeToken(token: string): void {
    const hash = hashToken(token);
    const row = this.tokens.find(hash);
    if (!row || Date.parse(row.expires_at) <= this.now() || !this.tokens.revoke(hash)) throw notFoundIn('token', 'the given token');
    this.cache.delete(hash);
  }

  /** The Electron window acts as the bootstrap admin on the admin project; no password needed. */
  loginLocalAdmin(): RequestContext {
    if (!this.ids.userId || !this.ids.projectId) throw new DeskError('Unavailable', 'Identity is not bootstrapped yet; start the control plane first.');
    return this.contextFor(this.ids.userId, this.ids.projectId);
  }

  /** True when the password is the bootstrap admin's current one (first-run setup proves possession with it). */
  async adminPasswordMatches(password: string): Promise<boolean> {
    const row = this.ids.userId ? this.store.userRow(this.ids.userId) : null;
    const ok = await verifyPassword(password, row?.password_hash ?? null);
    return ok && row?.enabled === 1;
  }

  /** The context a UI bridge acts with after its user signed in; 401 when they lost access. */
  contextFor(userId: string, projectId: string): RequestContext {
    const scope = resolveScope(this.store, userId, projectId);
    if (!scope || !scope.project) throw unauthorized();
    const roles = scope.roles.map((r) => r.name);
    return {
      userId,
      userName: scope.user.name,
      domainId: scope.user.domainId,
      projectId,
      projectName: scope.project.name,
      roles,
      isAdmin: roles.includes('admin'),
      requestId: newRequestId(),
    };
  }

  catalog(publicUrl: string): CatalogEntry[] {
    return buildCatalog(publicUrl);
  }

  // ---- small lookups for other services and the UI ----

  projectName(id: string): string | null {
    return this.store.project(id)?.name ?? null;
  }
  userName(id: string): string | null {
    return this.store.userRow(id)?.name ?? null;
  }
  /** Enabled projects the user holds a role on (for a project switcher). */
  listProjectsForUser(userId: string): Project[] {
    return this.store.projectsForUser(userId).filter((p) => p.enabled);
  }
  /** Ids of the bootstrap admin user and project. */
  adminIds(): { userId: string | null; projectId: string | null } {
    return { ...this.ids };
  }

  // ---- domains ----

  listDomains(_ctx: RequestContext, f: { name?: string; enabled?: boolean } = {}): Domain[] {
    return this.store.domains().filter((d) => (f.name === undefined || d.name === f.name) && (f.enabled === undefined || d.enabled === f.enabled));
  }
  getDomain(_ctx: RequestContext, id: string): Domain {
    const d = this.store.domain(id);
    if (!d) throw notFoundIn('domain', id);
    return d;
  }
  domainName(id: string): string | null {
    return this.store.domain(id)?.name ?? null;
  }

  // ---- projects ----

  listProjects(ctx: RequestContext, f?: ProjectFilter): Project[] {
    return this.projectMgr.list(ctx, f);
  }
  getProject(ctx: RequestContext, id: string): Project {
    return this.projectMgr.get(ctx, id);
  }
  createProject(ctx: RequestContext, input: ProjectInput): Project {
    return this.projectMgr.create(ctx, input);
  }
  updateProject(ctx: RequestContext, id: string, patch: ProjectPatch): Project {
    return this.projectMgr.update(ctx, id, patch);
  }
  deleteProject(ctx: RequestContext, id: string): void {
    this.projectMgr.delete(ctx, id);
  }

  // ---- users ----

  listUsers(ctx: RequestContext, f?: UserFilter): User[] {
    return this.userMgr.list(ctx, f);
  }
  getUser(ctx: RequestContext, id: string): User {
    return this.userMgr.get(ctx, id);
  }
  createUser(ctx: RequestContext, input: UserInput): User {
    return this.userMgr.create(ctx, input);
  }
  updateUser(ctx: RequestContext, id: string, patch: UserPatch): User {
    return this.userMgr.update(ctx, id, patch);
  }
  deleteUser(ctx: RequestContext, id: string): void {
    this.userMgr.delete(ctx, id);
  }
  changePassword(userId: string, originalPassword: string, password: string): Promise<void> {
    return this.userMgr.changePassword(userId, originalPassword, password);
  }
  listUserProjects(ctx: RequestContext, userId: string): Project[] {
    return this.userMgr.projectsOf(ctx, userId);
  }
  /** Looks a project up by id without policy (for other services' views); null when absent. */
  findProject(id: string): Project | null {
    return this.store.project(id);
  }
  /** Looks a user up by id without policy (for other services' views); null when absent. */
  findUser(id: string): User | null {
    const row = this.store.userRow(id);
    return row ? toUser(row) : null;
  }

  // ---- roles and assignments ----

  listRoles(ctx: RequestContext, f?: { name?: string }): Role[] {
    return this.roleMgr.list(ctx, f);
  }
  getRole(ctx: RequestContext, id: string): Role {
    return this.roleMgr.get(ctx, id);
  }
  createRole(ctx: RequestContext, input: RoleInput): Role {
    return this.roleMgr.create(ctx, input);
  }
  deleteRole(ctx: RequestContext, id: string): void {
    this.roleMgr.delete(ctx, id);
  }
  assignRole(ctx: RequestContext, a: RoleAssignment): void {
    this.roleMgr.assign(ctx, a);
  }
  checkRole(ctx: RequestContext, a: RoleAssignment): boolean {
    return this.roleMgr.check(ctx, a);
  }
  unassignRole(ctx: RequestContext, a: RoleAssignment): void {
    this.roleMgr.unassign(ctx, a);
  }
  listRoleAssignments(ctx: RequestContext, f?: AssignmentFilter): RoleAssignment[] {
    return this.roleMgr.assignments(ctx, f);
  }
  /** Assigns a role by name (for seeding: the demo project and its user). */
  roleByName(name: string): Role | null {
    return this.store.roleByName(name);
  }
}
