import type { RequestContext } from '../core/context';
import { DeskError, forbidden } from '../core/errors';
import { newHexId } from '../core/ids';
import type { EventBus } from '../core/events';
import type { AssignmentStore } from './assignment-store';
import type { Delegator } from './app-credential-manager';
import type { DelegationStore } from './delegation-store';
import type { Trust, TrustInput } from './delegation-types';
import { effectiveRoles } from './effective-roles';
import { invalidInput, notFoundIn, policyDenied } from './identity-errors';
import type { IdentityStore } from './identity-store';
import { parseTimestamp, timestampMs } from './timestamps';
import type { Role } from './types';

/**
 * Trusts (OS-TRUST): a trustor lends some of their roles on a project to a trustee, who then gets
 * trust-scoped tokens acting as the trustor (impersonation) or as themselves.
 */
export class TrustManager {
  constructor(
    private readonly store: IdentityStore,
    private readonly assignments: AssignmentStore,
    private readonly delegation: DelegationStore,
    private readonly bus: EventBus,
    private readonly now: () => number,
    /** Drops cached token views: the tokens issued through what was deleted end with it. */
    private readonly changed: () => void,
  ) {}

  /** Only the trustor creates a trust, and only with roles they hold on the project. */
  create(ctx: RequestContext, by: Delegator, input: TrustInput): Trust {
    if (ctx.userId !== input.trustorUserId) throw forbidden('Only the trustor may create a trust; authenticate as the trustor.');
    if (by.restricted) throw forbidden('A restricted application credential or a trust cannot create trusts.');
    if (!this.store.userRow(input.trusteeUserId)) throw notFoundIn('user', input.trusteeUserId);
    const projectId = input.projectId ?? null;
    if (projectId !== null && !this.store.project(projectId)) throw notFoundIn('project', projectId);
    const expiresAt = input.expiresAt ? parseTimestamp('expires_at', input.expiresAt) : null;
    if (expiresAt && timestampMs(expiresAt) <= this.now()) throw invalidInput('expires_at', 'the expiry is in the past');
    if (input.remainingUses !== undefined && input.remainingUses !== null && !(Number.isInteger(input.remainingUses) && input.remainingUses > 0))
      throw invalidInput('remaining_uses', 'must be a positive integer or null');
    const roles = this.pickRoles(input.roles ?? []);
    if (projectId === null && roles.length > 0) throw invalidInput('roles', 'a trust without a project cannot carry roles');
    if (projectId !== null) {
      if (roles.length === 0) throw invalidInput('roles', 'at least one role is needed for a trust on a project');
      const held = new Set(effectiveRoles(this.store, this.assignments, input.trustorUserId, { projectId }).map((r) => r.id));
      const missing = roles.find((r) => !held.has(r.id));
      if (missing) throw forbidden(`The trustor does not hold role ${missing.name} on project ${projectId}, so it cannot be delegated.`);
    }
    const trust: Trust = {
      id: newHexId(),
      trustorUserId: input.trustorUserId,
      trusteeUserId: input.trusteeUserId,
      projectId,
      impersonation: input.impersonation,
      expiresAt,
      remainingUses: input.remainingUses ?? null,
      redelegationCount: 0,
      redelegatedTrustId: null,
      roleIds: roles.map((r) => r.id),
      createdAt: new Date(this.now()).toISOString(),
    };
    this.delegation.insertTrust(trust);
    this.bus.resource('trust', trust.id, projectId, 'created');
    return trust;
  }

  /** An admin lists any; others must filter on themselves as trustor or trustee. */
  list(ctx: RequestContext, f: { trustorUserId?: string; trusteeUserId?: string } = {}): Trust[] {
    const own = f.trustorUserId === ctx.userId || f.trusteeUserId === ctx.userId;
    if (!ctx.isAdmin && !own) throw policyDenied('list_trusts');
    return this.delegation
      .trusts()
      .filter((t) => (f.trustorUserId === undefined || t.trustorUserId === f.trustorUserId) && (f.trusteeUserId === undefined || t.trusteeUserId === f.trusteeUserId))
      .filter((t) => ctx.isAdmin || t.trustorUserId === ctx.userId || t.trusteeUserId === ctx.userId);
  }

  get(ctx: RequestContext, id: string): Trust {
    const t = this.delegation.trust(id);
    if (!t) throw notFoundIn('trust', id);
    if (!ctx.isAdmin && ctx.userId !== t.trustorUserId && ctx.userId !== t.trusteeUserId) throw policyDenied('get_trust');
    return t;
  }

  roles(ctx: RequestContext, id: string): Role[] {
    return this.get(ctx, id)
      .roleIds.map((r) => this.store.role(r))
      .filter((r): r is Role => r !== null);
  }

  role(ctx: RequestContext, id: string, roleId: string): Role {
    const r = this.roles(ctx, id).find((x) => x.id === roleId);
    if (!r) throw notFoundIn('role', roleId);
    return r;
  }

  /** Only the trustor (or an admin) deletes a trust; its tokens end with it. */
  delete(ctx: RequestContext, id: string): void {
    const t = this.get(ctx, id);
    if (!ctx.isAdmin && ctx.userId !== t.trustorUserId) throw policyDenied('delete_trust');
    this.delegation.deleteTrust(id);
    this.changed();
    this.bus.resource('trust', id, t.projectId, 'deleted');
  }

  private pickRoles(wanted: Array<{ id?: string; name?: string }>): Role[] {
    const out = new Map<string, Role>();
    for (const w of wanted) {
      const role = w.id !== undefined ? this.store.role(w.id) : w.name !== undefined ? this.store.roleByName(w.name) : null;
      if (!role) throw new DeskError('NotFound', `Could not find role: ${w.id ?? w.name ?? '(no id or name)'}.`);
      out.set(role.id, role);
    }
    return [...out.values()];
  }
}
