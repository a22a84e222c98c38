import type { Config } from '../core/config';
import type { RequestContext } from '../core/context';
import { newRequestId } from '../core/context';
import type { Db } from '../core/db';
import { DeskError, unauthorized } from '../core/errors';
import type { EventBus } from '../core/events';
import { getSetting as readSetting } from '../core/settings';
import { allowedBy } from './access-rules';
import { AppCredentialManager, type Delegator } from './app-credential-manager';
import { AssignmentStore } from './assignment-store';
import { Authenticator } from './authenticate';
import { ADMIN_PROJECT_KEY, ADMIN_USER_KEY, bootstrapIdentity } from './bootstrap';
import type { CatalogEntry } from './catalog';
import { CatalogManager } from './catalog-manager';
import { CatalogStore } from './catalog-store';
import { CredentialManager } from './credential-manager';
import { DelegationStore } from './delegation-store';
import { DomainConfigManager } from './domain-config';
import { DomainManager } from './domain-manager';
import { EndpointFilterManager } from './endpoint-filter-manager';
import { GrantManager, type AssignmentFilter } from './grant-manager';
import { GroupManager } from './group-manager';
import { GroupStore } from './group-store';
import type { IdentityDeps } from './identity-deps';
import { notFoundIn } from './identity-errors';
import { IdentityStore, toUser } from './identity-store';
import { OAuthConsumerManager } from './oauth-consumer-manager';
import { verifyPassword } from './password-hash';
import { PolicyManager } from './policy-manager';
import { ProjectManager, type ProjectFilter } from './project-manager';
import { RoleManager } from './role-manager';
import { SecretBox } from './secret-box';
import { contextOf, ScopeResolver } from './token-resolver';
import { hashToken, TokenStore, UNSCOPED } from './token-store';
import { TrustManager } from './trust-manager';
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
 * Keystone for DeskStack: domains, projects, users, groups, roles and their assignments, the service
 * catalog, credentials, application credentials, trusts, and opaque bearer tokens. Token checks sit on
 * every REST call, so resolved tokens are cached until any identity change.
 *
 * The core entities keep methods here; each further family is a manager reached as a property
 * (`identity.groups.create(ctx, …)`), with the same rules for the REST API and the UI.
 */
export class IdentityService {
  private readonly store: IdentityStore;
  private readonly tokens: TokenStore;
  private readonly now: () => number;
  private readonly cache = new Map<string, TokenData>();
  private readonly resolver: ScopeResolver;
  private readonly authenticator: Authenticator;
  private readonly assignmentStore: AssignmentStore;
  private ids: { userId: string | null; projectId: string | null } = { userId: null, projectId: null };

  readonly domains: DomainManager;
  readonly projects: ProjectManager;
  readonly users: UserManager;
  readonly roles: RoleManager;
  /** Role assignments of users and groups on projects, domains and the system (OS-INHERIT included). */
  readonly grants: GrantManager;
  readonly groups: GroupManager;
  /** Regions, services and endpoints; DeskStack's own are built in. */
  readonly catalogs: CatalogManager;
  /** OS-EP-FILTER: endpoint groups and project associations. */
  readonly endpointFilters: EndpointFilterManager;
  readonly credentials: CredentialManager;
  readonly policies: PolicyManager;
  /** Application credentials: create (secret shown once), list, show, delete. */
  readonly appCredentials: AppCredentialManager;
  readonly trusts: TrustManager;
  readonly domainConfigs: DomainConfigManager;
  readonly oauthConsumers: OAuthConsumerManager;

  constructor(
    private readonly db: Db,
    bus: EventBus,
    private readonly config: Config,
    opts: IdentityOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.store = new IdentityStore(db);
    this.tokens = new TokenStore(db, this.now);
    this.assignmentStore = new AssignmentStore(db);
    const groups = new GroupStore(db);
    const delegation = new DelegationStore(db);
    const catalogStore = new CatalogStore(db);
    const changed = () => this.cache.clear();
    const deps: IdentityDeps = { store: this.store, assignments: this.assignmentStore, groups, tokens: this.tokens, bus, now: this.now, changed, protectedIds: () => this.ids };
    this.resolver = new ScopeResolver(this.store, this.assignmentStore, delegation, this.now);
    this.authenticator = new Authenticator(this.store, this.tokens, delegation, this.resolver, this.now);
    this.domains = new DomainManager(deps);
    this.grants = new GrantManager(deps);
    this.projects = new ProjectManager(deps, this.domains, this.grants);
    this.users = new UserManager(deps);
    this.roles = new RoleManager(deps);
    this.groups = new GroupManager(deps);
    this.catalogs = new CatalogManager(catalogStore, changed);
    this.endpointFilters = new EndpointFilterManager(catalogStore, this.store, this.catalogs, changed);
    this.credentials = new CredentialManager(db, this.store, new SecretBox(config.dataDir), (u, p) => this.grants.projectIdsOf(u).includes(p));
    this.policies = new PolicyManager(db);
    this.appCredentials = new AppCredentialManager(this.store, delegation, bus, this.now, changed);
    this.trusts = new TrustManager(this.store, this.assignmentStore, delegation, bus, this.now, changed);
    this.domainConfigs = new DomainConfigManager(db, this.store);
    this.oauthConsumers = new OAuthConsumerManager(db);
  }

  /** Idempotent first-start setup; returns the admin password only when it was generated now. */
  async bootstrap(opts: { adminPassword?: string } = {}): Promise<{ generatedPassword: string | null }> {
    const out = await bootstrapIdentity(this.db, this.store, this.assignmentStore, opts.adminPassword, new Date(this.now()).toISOString());
    this.ids = { userId: readSetting(this.db, ADMIN_USER_KEY), projectId: readSetting(this.db, ADMIN_PROJECT_KEY) };
    this.cache.clear();
    return out;
  }

  // ---- tokens ----

  /** POST /v3/auth/tokens: password, token (rescope) or application credential; 401 for every failed proof. */
  async issueToken(auth: AuthRequest): Promise<IssuedToken> {
    const out = await this.authenticator.authenticate(auth);
    const issued = this.now();
    const ends = [issued + this.config.tokenTtlSeconds * 1000, out.inheritExpiry, out.capExpiry].flatMap((t) => (t === null ? [] : [typeof t === 'number' ? t : Date.parse(t)]));
    const expiresAt = new Date(Math.min(...ends)).toISOString();
    const { token, row } = this.tokens.create({ userId: out.userId, scope: out.scope, methods: out.methods, auditIds: out.auditIds, issuedAt: new Date(issued).toISOString(), expiresAt });
    const data = this.resolver.resolveToken(row);
    if (!data) throw unauthorized();
    return { token, data };
  }

  /**
   * Checks a token on the hot path: one indexed lookup, then cached until an identity change.
   * Tokens not scoped to a project are refused unless allowUnscoped (only Keystone's own API accepts them).
   * A token of an application credential with access rules serves only the calls they allow: pass the
   * request it is used for, or 'inspect' when the token is only being looked at (X-Subject-Token).
   */
  validateToken(token: string, opts: { allowUnscoped?: boolean; request?: { method: string; url: string } | 'inspect' } = {}): { context: RequestContext; data: TokenData } {
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) throw unauthorized();
    const hash = hashToken(token);
    let data = this.cache.get(hash);
    if (!data) {
      const row = this.tokens.find(hash);
      data = row ? (this.resolver.resolveToken(row) ?? undefined) : undefined;
      if (!data) throw unauthorized();
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(hash, data);
    }
    if (Date.parse(data.expiresAt) <= this.now()) {
      this.cache.delete(hash);
      throw unauthorized();
    }
    if (!data.project && !opts.allowUnscoped) throw unauthorized();
    const rules = data.applicationCredential?.accessRules ?? [];
    if (rules.length > 0 && opts.request !== 'inspect' && !(opts.request && allowedBy(rules, opts.request)))
      throw unauthorized('The application credential’s access rules do not allow this call.');
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
    const scope = this.resolver.resolve(userId, { ...UNSCOPED, projectId });
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

  /**
   * What a UI session may delegate (application credentials, trusts): the roles it holds on its project.
   * REST callers use their token's view instead (delegatorOf), which also knows how the token was made.
   */
  delegatorFor(ctx: RequestContext): Delegator {
    const scope = ctx.projectId ? this.resolver.resolve(ctx.userId, { ...UNSCOPED, projectId: ctx.projectId }) : null;
    return { roles: scope?.roles ?? [], restricted: false };
  }

  /** The catalog for a token scoped to projectId (null when it has no project), URLs on publicUrl. */
  catalog(publicUrl: string, projectId: string | null = null): CatalogEntry[] {
    return this.catalogs.tokenCatalog(publicUrl, projectId);
  }

  // ---- small lookups for other services and the UI ----

  projectName(id: string): string | null {
    return this.store.project(id)?.name ?? null;
  }
  userName(id: string): string | null {
    return this.store.userRow(id)?.name ?? null;
  }
  /** Enabled projects where the user holds a role (directly, through a group or inherited), for a project switcher. */
  listProjectsForUser(userId: string): Project[] {
    return this.grants.projectIdsOf(userId).flatMap((id) => {
      const p = this.store.project(id);
      return p?.enabled ? [p] : [];
    });
  }
  /** Enabled domains where the user holds a role (GET /v3/auth/domains). */
  listDomainsForUser(userId: string): Domain[] {
    return this.grants.domainIdsOf(userId).flatMap((id) => {
      const d = this.store.domain(id);
      return d?.enabled ? [d] : [];
    });
  }
  /** Ids of the bootstrap admin user and project. */
  adminIds(): { userId: string | null; projectId: string | null } {
    return { ...this.ids };
  }
  domainName(id: string): string | null {
    return this.store.domain(id)?.name ?? null;
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
  /** Looks a role up by id without policy (for views); null when absent. */
  findRole(id: string): Role | null {
    return this.store.role(id);
  }
  /** A global role by name (for seeding: the demo project and its user). */
  roleByName(name: string): Role | null {
    return this.store.roleByName(name);
  }

  // ---- the core entities, as before ----

  listDomains(ctx: RequestContext, f: { name?: string; enabled?: boolean } = {}): Domain[] {
    return this.domains.list(ctx, f);
  }
  getDomain(ctx: RequestContext, id: string): Domain {
    return this.domains.get(ctx, id);
  }
  listProjects(ctx: RequestContext, f?: ProjectFilter): Project[] {
    return this.projects.list(ctx, f);
  }
  getProject(ctx: RequestContext, id: string): Project {
    return this.projects.get(ctx, id);
  }
  createProject(ctx: RequestContext, input: ProjectInput): Project {
    return this.projects.create(ctx, input);
  }
  updateProject(ctx: RequestContext, id: string, patch: ProjectPatch): Project {
    return this.projects.update(ctx, id, patch);
  }
  deleteProject(ctx: RequestContext, id: string): void {
    this.projects.delete(ctx, id);
  }
  listUsers(ctx: RequestContext, f?: UserFilter): User[] {
    return this.users.list(ctx, f);
  }
  getUser(ctx: RequestContext, id: string): User {
    return this.users.get(ctx, id);
  }
  /** The password is hashed off the event loop. */
  createUser(ctx: RequestContext, input: UserInput): Promise<User> {
    return this.users.create(ctx, input);
  }
  updateUser(ctx: RequestContext, id: string, patch: UserPatch): Promise<User> {
    return this.users.update(ctx, id, patch);
  }
  deleteUser(ctx: RequestContext, id: string): void {
    this.users.delete(ctx, id);
  }
  changePassword(userId: string, originalPassword: string, password: string): Promise<void> {
    return this.users.changePassword(userId, originalPassword, password);
  }
  /** GET /v3/users/{id}/projects: the user themselves or an admin. */
  listUserProjects(ctx: RequestContext, userId: string): Project[] {
    this.users.get(ctx, userId);
    return this.listProjectsForUser(userId);
  }
  listRoles(ctx: RequestContext, f?: { name?: string; domainId?: string }): Role[] {
    return this.roles.list(ctx, f);
  }
  getRole(ctx: RequestContext, id: string): Role {
    return this.roles.get(ctx, id);
  }
  createRole(ctx: RequestContext, input: RoleInput): Role {
    return this.roles.create(ctx, input);
  }
  deleteRole(ctx: RequestContext, id: string): void {
    this.roles.delete(ctx, id);
  }
  assignRole(ctx: RequestContext, a: RoleAssignment): void {
    this.grants.grant(ctx, a);
  }
  checkRole(ctx: RequestContext, a: RoleAssignment): boolean {
    return this.grants.check(ctx, a);
  }
  unassignRole(ctx: RequestContext, a: RoleAssignment): void {
    this.grants.revoke(ctx, a);
  }
  listRoleAssignments(ctx: RequestContext, f?: AssignmentFilter): RoleAssignment[] {
    return this.grants.list(ctx, f);
  }
}
