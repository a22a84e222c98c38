import type { RequestContext } from '../core/context';
import { DeskError, forbidden } from '../core/errors';
import { newHexId } from '../core/ids';
import { requireAdmin, type IdentityDeps } from './identity-deps';
import { duplicate, notFoundIn } from './identity-errors';
import { checkName } from './names';
import type { Role, RoleInput } from './types';

export const BUILTIN_ROLES = ['admin', 'member', 'reader'] as const;

/** One inference rule: holding prior_role gives implies too. */
export interface InferenceRule {
  prior: Role;
  implies: Role;
}

/** Roles (global and domain-specific) and role inference rules. Only an admin changes them; anyone may read them. */
export class RoleManager {
  constructor(private readonly d: IdentityDeps) {}

  /** With domainId, that domain's own roles; without, the global roles (as Keystone lists them). */
  list(_ctx: RequestContext, f: { name?: string; domainId?: string } = {}): Role[] {
    return this.d.store.roles().filter((r) => (f.name === undefined || r.name === f.name) && r.domainId === (f.domainId ?? null));
  }

  get(_ctx: RequestContext, id: string): Role {
    const r = this.d.store.role(id);
    if (!r) throw notFoundIn('role', id);
    return r;
  }

  create(ctx: RequestContext, input: RoleInput): Role {
    requireAdmin(ctx, 'create_role');
    const name = checkName('role', input.name);
    const domainId = input.domainId ?? null;
    if (domainId !== null && !this.d.store.domain(domainId)) throw notFoundIn('domain', domainId);
    if (this.d.store.roleByName(name, domainId)) throw duplicate('role', name, domainId ?? undefined);
    const r: Role = { id: newHexId(), name, domainId, description: input.description ?? null, extra: input.extra ?? {} };
    this.d.store.saveRole(r, true);
    this.d.bus.resource('role', r.id, null, 'created');
    return r;
  }

  update(ctx: RequestContext, id: string, patch: Omit<Partial<RoleInput>, 'domainId'>): Role {
    requireAdmin(ctx, 'update_role');
    const cur = this.get(ctx, id);
    const name = patch.name !== undefined ? checkName('role', patch.name) : cur.name;
    if (name !== cur.name && this.isBuiltin(cur)) throw forbidden(`Role ${cur.name} is built in (DeskStack's policies rely on it) and cannot be renamed.`);
    if (name !== cur.name && this.d.store.roleByName(name, cur.domainId)) throw duplicate('role', name, cur.domainId ?? undefined);
    const next: Role = { ...cur, name, description: patch.description !== undefined ? patch.description : cur.description, extra: { ...cur.extra, ...patch.extra } };
    this.d.store.saveRole(next, false);
    this.d.changed();
    this.d.bus.resource('role', id, null, 'updated');
    return next;
  }

  delete(ctx: RequestContext, id: string): void {
    requireAdmin(ctx, 'delete_role');
    const r = this.get(ctx, id);
    if (this.isBuiltin(r)) throw forbidden(`Role ${r.name} is built in (DeskStack's policies rely on it) and cannot be deleted.`);
    this.d.store.deleteRole(id);
    this.d.changed();
    this.d.bus.resource('role', id, null, 'deleted');
  }

  // ---- inference rules ----

  /** PUT /v3/roles/{prior}/implies/{implied}: a global role may not imply a domain-specific one. */
  addRule(ctx: RequestContext, priorId: string, impliedId: string): InferenceRule {
    requireAdmin(ctx, 'create_implied_role');
    const prior = this.get(ctx, priorId);
    const implies = this.get(ctx, impliedId);
    if (prior.domainId === null && implies.domainId !== null)
      throw forbidden(`Role ${prior.name} is global and cannot imply the domain-specific role ${implies.name}.`);
    if (priorId === impliedId || this.impliedBy(impliedId).includes(priorId))
      throw new DeskError('Conflict', `Role ${implies.name} already implies ${prior.name}; a rule the other way would make a cycle.`);
    this.d.assignments.addRule(priorId, impliedId);
    this.d.changed();
    return { prior, implies };
  }

  getRule(ctx: RequestContext, priorId: string, impliedId: string): InferenceRule {
    const prior = this.get(ctx, priorId);
    const implies = this.get(ctx, impliedId);
    if (!this.d.assignments.hasRule(priorId, impliedId)) throw notFoundIn('implied role', `${priorId} implies ${impliedId}`);
    return { prior, implies };
  }

  removeRule(ctx: RequestContext, priorId: string, impliedId: string): void {
    requireAdmin(ctx, 'delete_implied_role');
    this.getRule(ctx, priorId, impliedId);
    this.d.assignments.removeRule(priorId, impliedId);
    this.d.changed();
  }

  /** The roles the given one implies directly (GET /v3/roles/{id}/implies). */
  implies(ctx: RequestContext, priorId: string): Role[] {
    this.get(ctx, priorId);
    return this.d.assignments
      .rules()
      .filter(([p]) => p === priorId)
      .map(([, i]) => this.d.store.role(i))
      .filter((r): r is Role => r !== null);
  }

  /** Every rule, grouped by prior role (GET /v3/role_inferences). */
  allRules(_ctx: RequestContext): Array<{ prior: Role; implies: Role[] }> {
    const byPrior = new Map<string, Role[]>();
    for (const [p, i] of this.d.assignments.rules()) {
      const r = this.d.store.role(i);
      if (r) byPrior.set(p, [...(byPrior.get(p) ?? []), r]);
    }
    return [...byPrior].flatMap(([p, implies]) => {
      const prior = this.d.store.role(p);
      return prior ? [{ prior, implies }] : [];
    });
  }

  private impliedBy(roleId: string): string[] {
    const rules = this.d.assignments.rules();
    const seen = new Set<string>();
    const todo = [roleId];
    while (todo.length) {
      const id = todo.pop()!;
      for (const [p, i] of rules) {
        if (p !== id || seen.has(i)) continue;
        seen.add(i);
        todo.push(i);
      }
    }
    return [...seen];
  }

  private isBuiltin(r: Role): boolean {
    return r.domainId === null && (BUILTIN_ROLES as readonly string[]).includes(r.name);
  }
}
