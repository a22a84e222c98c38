import type { RequestContext } from '../core/context';
import { DeskError, forbidden } from '../core/errors';
import { newHexId } from '../core/ids';
import { requireAdmin, type IdentityDeps } from './identity-deps';
import { duplicate, notFoundIn, policyDenied } from './identity-errors';
import { effectiveRoles } from './implied-roles';
import { checkName } from './names';
import type { Role, RoleAssignment, RoleInput } from './types';

export const BUILTIN_ROLES = ['admin', 'member', 'reader'] as const;

export interface AssignmentFilter {
  userId?: string;
  projectId?: string;
  roleId?: string;
  /** Include roles implied by the assigned ones (Keystone's ?effective). */
  effective?: boolean;
}

/** Roles and project role assignments. Only an admin changes them; anyone may read the role list. */
export class RoleManager {
  constructor(private readonly d: IdentityDeps) {}

  list(_ctx: RequestContext, f: { name?: string } = {}): Role[] {
    return this.d.store.roles().filter((r) => f.name === undefined || r.name === f.name);
  }

  get(_ctx: RequestContext, id: string): Role {
    const r = this.d.store.role(id);
    if (!r) throw notFoundIn('role', id);
    return r;
  }

  create(ctx: RequestContext, input: RoleInput): Role {
    requireAdmin(ctx, 'create_role');
    const name = checkName('role', input.name);
    if (this.d.store.roleByName(name)) throw duplicate('role', name);
    const r: Role = { id: newHexId(), name, description: input.description ?? null, extra: input.extra ?? {} };
    this.d.store.insertRole(r);
    return r;
  }

  delete(ctx: RequestContext, id: string): void {
    requireAdmin(ctx, 'delete_role');
    const r = this.get(ctx, id);
    if ((BUILTIN_ROLES as readonly string[]).includes(r.name)) throw forbidden(`Role ${r.name} is built in (DeskStack's policies rely on it) and cannot be deleted.`);
    this.d.store.deleteRole(id);
    this.d.changed();
  }

  assign(ctx: RequestContext, a: RoleAssignment): void {
    requireAdmin(ctx, 'create_grant');
    this.requireParts(a);
    this.d.store.assign(a.userId, a.projectId, a.roleId);
    this.d.changed();
    this.d.bus.resource('user', a.userId, a.projectId, 'updated');
  }

  /** True when the user holds exactly this role (directly) on the project. */
  check(ctx: RequestContext, a: RoleAssignment): boolean {
    if (!ctx.isAdmin && ctx.userId !== a.userId) throw policyDenied('check_grant');
    this.requireParts(a);
    return this.d.store.hasAssignment(a.userId, a.projectId, a.roleId);
  }

  unassign(ctx: RequestContext, a: RoleAssignment): void {
    requireAdmin(ctx, 'revoke_grant');
    this.requireParts(a);
    if (!this.d.store.hasAssignment(a.userId, a.projectId, a.roleId)) throw notAssigned(a);
    const p = this.d.protectedIds();
    if (a.userId === p.userId && a.projectId === p.projectId && this.d.store.role(a.roleId)?.name === 'admin')
      throw forbidden("The admin role of DeskStack's local administrator on its project cannot be removed.");
    this.d.store.unassign(a.userId, a.projectId, a.roleId);
    this.d.changed();
    this.d.bus.resource('user', a.userId, a.projectId, 'updated');
  }

  /** Direct assignments (or, with effective, implied roles too); a non-admin may list only their own. */
  assignments(ctx: RequestContext, f: AssignmentFilter = {}): RoleAssignment[] {
    if (!ctx.isAdmin) {
      if (f.userId !== undefined && f.userId !== ctx.userId) throw policyDenied('list_role_assignments');
      f = { ...f, userId: ctx.userId };
    }
    let list = this.d.store.assignments();
    if (f.effective) {
      const seen = new Set<string>();
      list = list.flatMap((a) => {
        const role = this.d.store.role(a.roleId);
        return (role ? effectiveRoles(this.d.store, [role]) : []).map((r) => ({ ...a, roleId: r.id }));
      }).filter((a) => {
        const k = `${a.userId}/${a.projectId}/${a.roleId}`;
        return seen.has(k) ? false : (seen.add(k), true);
      });
    }
    return list.filter((a) => (f.userId === undefined || a.userId === f.userId) && (f.projectId === undefined || a.projectId === f.projectId) && (f.roleId === undefined || a.roleId === f.roleId));
  }

  private requireParts(a: RoleAssignment): void {
    if (!this.d.store.role(a.roleId)) throw notFoundIn('role', a.roleId);
    if (!this.d.store.userRow(a.userId)) throw notFoundIn('user', a.userId);
    if (!this.d.store.project(a.projectId)) throw notFoundIn('project', a.projectId);
  }
}

const notAssigned = (a: RoleAssignment) =>
  new DeskError('NotFound', `Could not find role assignment with role: ${a.roleId}, user or group: ${a.userId}, project, domain, or system: ${a.projectId}.`);
