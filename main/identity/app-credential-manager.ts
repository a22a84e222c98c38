import type { RequestContext } from '../core/context';
import { DeskError, forbidden } from '../core/errors';
import { newHexId, newSecret } from '../core/ids';
import type { EventBus } from '../core/events';
import type { DelegationStore } from './delegation-store';
import { checkAccessRule } from './access-rules';
import type { AccessRule, AppCredential, AppCredentialInput } from './delegation-types';
import { duplicate, invalidInput, notFoundIn, policyDenied } from './identity-errors';
import type { IdentityStore } from './identity-store';
import { checkName } from './names';
import { hashPassword } from './password-hash';
import { parseTimestamp, timestampMs } from './timestamps';
import type { NamedRef, TokenData } from './types';

/** What the caller's token says about how far they may delegate. */
export interface Delegator {
  /** The roles the caller's token carries on its project. */
  roles: NamedRef[];
  /** True when the caller came through a restricted application credential or a trust. */
  restricted: boolean;
}

/** The delegator a REST token stands for. */
export const delegatorOf = (t: TokenData): Delegator => ({ roles: t.roles, restricted: !!t.trust || (t.applicationCredential?.restricted ?? false) });

/**
 * Application credentials: a user's own secret for an application, bound to the project of the token
 * that made it and to a subset of that token's roles. The secret is shown once and kept only as a hash.
 */
export class AppCredentialManager {
  constructor(
    private readonly store: IdentityStore,
    private readonly delegation: DelegationStore,
    private readonly bus: EventBus,
    private readonly now: () => number,
    /** Drops cached token views: the tokens issued through what was deleted end with it. */
    private readonly changed: () => void,
  ) {}

  /** Creates the credential on the caller's current project; the result carries the secret, this once. */
  async create(ctx: RequestContext, by: Delegator, userId: string, input: AppCredentialInput): Promise<{ cred: AppCredential; secret: string }> {
    if (ctx.userId !== userId) throw policyDenied('create_application_credential');
    if (by.restricted) throw forbidden('A restricted application credential or a trust cannot create application credentials; use an unrestricted one or a password.');
    if (!ctx.projectId) throw new DeskError('BadRequest', 'An application credential needs a project: authenticate with a project-scoped token.');
    const name = checkName('application credential', input.name);
    if (this.delegation.appCredByName(userId, name)) throw duplicate('application credential', name);
    const expiresAt = input.expiresAt ? parseTimestamp('expires_at', input.expiresAt) : null;
    if (expiresAt && timestampMs(expiresAt) <= this.now()) throw invalidInput('expires_at', 'the expiry is in the past');
    const roleIds = this.pickRoles(by, input.roles);
    const accessRules = this.pickRules(userId, input.accessRules ?? []);
    const secret = input.secret ?? newSecret(64);
    if (secret.length === 0 || secret.length > 4096) throw invalidInput('secret', 'a secret must be 1..4096 characters long');
    const hash = await hashPassword(secret);
    const cred: AppCredential = {
      id: newHexId(),
      userId,
      projectId: ctx.projectId,
      name,
      description: input.description ?? null,
      expiresAt,
      unrestricted: input.unrestricted ?? false,
      roleIds,
      accessRules,
      createdAt: new Date(this.now()).toISOString(),
    };
    // The hash took a while: the name may have been taken meanwhile.
    if (this.delegation.appCredByName(userId, name)) throw duplicate('application credential', name);
    this.delegation.insertAppCred(cred, hash);
    this.bus.resource('application_credential', cred.id, cred.projectId, 'created');
    return { cred, secret };
  }

  list(ctx: RequestContext, userId: string, f: { name?: string } = {}): AppCredential[] {
    this.requireSelf(ctx, userId, 'list_application_credentials');
    return this.delegation.appCredsOf(userId).filter((c) => f.name === undefined || c.name === f.name);
  }

  get(ctx: RequestContext, userId: string, id: string): AppCredential {
    this.requireSelf(ctx, userId, 'get_application_credential');
    const found = this.delegation.appCred(id);
    if (!found || found.cred.userId !== userId) throw notFoundIn('application credential', id);
    return found.cred;
  }

  /** Deleting a credential ends the tokens issued for it. */
  delete(ctx: RequestContext, by: Delegator, userId: string, id: string): void {
    if (by.restricted && ctx.userId === userId) throw forbidden('A restricted application credential or a trust cannot delete application credentials.');
    const cred = this.get(ctx, userId, id);
    this.delegation.deleteAppCred(id);
    this.changed();
    this.bus.resource('application_credential', id, cred.projectId, 'deleted');
  }

  // ---- access rules (/v3/users/{id}/access_rules) ----

  listAccessRules(ctx: RequestContext, userId: string): AccessRule[] {
    this.requireSelf(ctx, userId, 'list_access_rules');
    return this.delegation.accessRulesOf(userId);
  }

  getAccessRule(ctx: RequestContext, userId: string, id: string): AccessRule {
    this.requireSelf(ctx, userId, 'get_access_rule');
    const r = this.delegation.accessRule(userId, id);
    if (!r) throw notFoundIn('access rule', id);
    return r;
  }

  /** A rule stays while an application credential uses it; delete the credential first. */
  deleteAccessRule(ctx: RequestContext, userId: string, id: string): void {
    this.getAccessRule(ctx, userId, id);
    if (this.delegation.accessRuleInUse(id)) throw forbidden(`Access rule ${id} is used by an application credential; delete the credential first.`);
    this.delegation.deleteAccessRule(id);
  }

  // A rule by id must be the user's own; a new one reuses the user's identical rule when there is one.
  private pickRules(userId: string, wanted: NonNullable<AppCredentialInput['accessRules']>): AccessRule[] {
    const out = new Map<string, AccessRule>();
    for (const w of wanted) {
      if (w.id !== undefined && w.service === undefined && w.path === undefined && w.method === undefined) {
        const found = this.delegation.accessRule(userId, w.id);
        if (!found) throw notFoundIn('access rule', w.id);
        out.set(found.id, found);
        continue;
      }
      const rule = checkAccessRule(w);
      const r = this.delegation.accessRuleLike(userId, rule) ?? { id: newHexId(), ...rule };
      out.set(r.id, r);
    }
    return [...out.values()];
  }

  private requireSelf(ctx: RequestContext, userId: string, action: string): void {
    if (!this.store.userRow(userId)) throw notFoundIn('user', userId);
    if (!ctx.isAdmin && ctx.userId !== userId) throw policyDenied(action);
  }

  // Roles by id or name, each one the caller's token carries; none given means all of them.
  private pickRoles(by: Delegator, wanted: AppCredentialInput['roles']): string[] {
    if (!wanted || wanted.length === 0) return by.roles.map((r) => r.id);
    return [
      ...new Set(
        wanted.map((w) => {
          const role = w.id !== undefined ? this.store.role(w.id) : w.name !== undefined ? this.store.roleByName(w.name) : null;
          if (!role) throw notFoundIn('role', w.id ?? w.name ?? '');
          if (!by.roles.some((r) => r.id === role.id)) throw forbidden(`Role ${role.name} is not one the token carries, so it cannot be delegated.`);
          return role.id;
        }),
      ),
    ];
  }
}
