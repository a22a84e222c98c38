import type { RequestContext } from '../core/context';
import { DeskError, forbidden } from '../core/errors';
import { requireAdmin, type IdentityDeps } from './identity-deps';
import { notFoundIn, policyDenied } from './identity-errors';
import { descendantsOf, impliedClosure, type Target } from './effective-roles';
import type { Role, RoleAssignment } from './types';

export interface AssignmentFilter {
  userId?: string;
  groupId?: string;
  projectId?: string;
  domainId?: string;
  system?: boolean;
  roleId?: string;
  /** Only assignments inherited to projects (scope.OS-INHERIT:inherited_to=projects). */
  inherited?: boolean;
  /** Keystone's ?effective: groups expanded to their members, inheritance to the projects, implied roles added. */
  effective?: boolean;
  /** With a project filter, the projects below it count too. */
  includeSubtree?: boolean;
}

/** A user's role on a project and the grant it comes from. */
export interface ProjectRoleSource {
  userId: string;
  projectId: string;
  roleId: string;
  /** The group whose grant it is, held through membership; null for the user's own grant. */
  groupId: string | null;
  /** Set for an inherited grant (OS-INHERIT): the domain or ancestor project it was made on; null for a grant on this project. */
  inheritedFrom: { domainId: string } | { projectId: string } | null;
}

/** Role assignments (grants) of users and groups on projects, domains and the system, and their effective expansion. */
export class GrantManager {
  constructor(private readonly d: IdentityDeps) {}

  grant(ctx: RequestContext, a: RoleAssignment): void {
    requireAdmin(ctx, 'create_grant');
    this.requireParts(a);
    if (a.inherited && a.system) throw new DeskError('BadRequest', 'System role assignments cannot be inherited.');
    this.d.assignments.insert(a);
    this.d.changed();
    this.announce(a);
  }

  /** True when exactly this assignment exists (the actor holds the role directly, not through a group). */
  check(ctx: RequestContext, a: RoleAssignment): boolean {
    if (!ctx.isAdmin && ctx.userId !== a.userId) throw policyDenied('check_grant');
    this.requireParts(a);
    return this.d.assignments.has(a);
  }

  revoke(ctx: RequestContext, a: RoleAssignment): void {
    requireAdmin(ctx, 'revoke_grant');
    this.requireParts(a);
    if (!this.d.assignments.has(a)) throw notAssigned(a);
    const p = this.d.protectedIds();
    if (a.userId === p.userId && a.projectId === p.projectId && !a.inherited && this.d.store.role(a.roleId)?.name === 'admin')
      throw forbidden("The admin role of DeskStack's local administrator on its project cannot be removed.");
    this.d.assignments.remove(a);
    this.d.changed();
    this.announce(a);
  }

  /** The roles one actor holds directly on one target (GET …/users/{u}/roles and friends). */
  rolesOf(ctx: RequestContext, a: Omit<RoleAssignment, 'roleId'>): Role[] {
    if (!ctx.isAdmin && ctx.userId !== a.userId) throw policyDenied('list_grants');
    this.requireParts({ ...a, roleId: '' });
    return this.d.assignments
      .all()
      .filter((x) => sameActorAndTarget(x, a))
      .map((x) => this.d.store.role(x.roleId))
      .filter((r): r is Role => r !== null);
  }

  /** GET /v3/role_assignments; a non-admin may list only their own. */
  list(ctx: RequestContext, f: AssignmentFilter = {}): RoleAssignment[] {
    if (!ctx.isAdmin) {
      if (f.userId !== undefined && f.userId !== ctx.userId) throw policyDenied('list_role_assignments');
      if (f.groupId !== undefined) throw policyDenied('list_role_assignments');
      f = { ...f, userId: ctx.userId };
    }
    const list = f.effective ? this.effective() : this.d.assignments.all();
    const projects = f.projectId && f.includeSubtree ? [f.projectId, ...descendantsOf(this.d.store, f.projectId).map((p) => p.id)] : f.projectId ? [f.projectId] : null;
    return list.filter(
      (a) =>
        (f.userId === undefined || a.userId === f.userId) &&
        (f.groupId === undefined || a.groupId === f.groupId) &&
        (projects === null || (a.projectId !== undefined && projects.includes(a.projectId))) &&
        (f.domainId === undefined || a.domainId === f.domainId) &&
        (!f.system || !!a.system) &&
        (f.roleId === undefined || a.roleId === f.roleId) &&
        (f.inherited === undefined || !!a.inherited === f.inherited),
    );
  }

  /**
   * Users' roles on projects, each with the grant it comes from: the user's own, a group's, or one inherited
   * from the domain or a parent project. Implied roles are left out: they follow from these. A non-admin sees only their own.
   */
  projectRoles(ctx: RequestContext, f: { userId?: string; projectId?: string } = {}): ProjectRoleSource[] {
    if (!ctx.isAdmin && f.userId !== ctx.userId) throw policyDenied('list_role_assignments');
    return this.d.assignments.all().flatMap((a) => {
      const { users, targets } = this.reach(a);
      const inheritedFrom = !a.inherited ? null : a.projectId ? { projectId: a.projectId } : a.domainId ? { domainId: a.domainId } : null;
      return users.flatMap((userId) =>
        targets.flatMap((t) =>
          'projectId' in t && (f.userId === undefined || f.userId === userId) && (f.projectId === undefined || f.projectId === t.projectId)
            ? [{ userId, projectId: t.projectId, roleId: a.roleId, groupId: a.groupId ?? null, inheritedFrom }]
            : [],
        ),
      );
    });
  }

  /** Ids of the enabled projects where the user holds some role that would appear in a token. */
  projectIdsOf(userId: string): string[] {
    const out = new Set<string>();
    for (const a of this.effective().filter((x) => x.userId === userId)) if (a.projectId) out.add(a.projectId);
    return [...out];
  }

  /** Ids of the domains where the user (or one of their groups) holds a role. */
  domainIdsOf(userId: string): string[] {
    return [...new Set(this.d.assignments.ofUser(userId).flatMap((a) => (a.domainId && !a.inherited ? [a.domainId] : [])))];
  }

  /** Every assignment as a token would see it: per user, per project, implied roles added, domain roles dropped. */
  private effective(): RoleAssignment[] {
    const out = new Map<string, RoleAssignment>();
    const rules = this.d.assignments.rules();
    const add = (userId: string, target: Pick<RoleAssignment, 'projectId' | 'domainId' | 'system'>, roleId: string) => {
      for (const id of impliedClosure(rules, [roleId])) {
        if (this.d.store.role(id)?.domainId !== null) continue;
        const a: RoleAssignment = { userId, roleId: id, ...target, inherited: false };
        out.set(JSON.stringify([userId, target.projectId, target.domainId, target.system, id]), a);
      }
    };
    for (const a of this.d.assignments.all()) {
      const { users, targets } = this.reach(a);
      for (const u of users) for (const t of targets) add(u, t, a.roleId);
    }
    return [...out.values()];
  }

  // Whom one grant reaches (a group's grant: its members) and where (an inherited one: the projects below its target).
  private reach(a: RoleAssignment): { users: string[]; targets: Target[] } {
    const users = a.userId ? [a.userId] : this.d.groups.memberIds(a.groupId ?? '');
    const targets: Target[] = !a.inherited
      ? [a.projectId ? { projectId: a.projectId } : a.domainId ? { domainId: a.domainId } : { system: true }]
      : a.projectId
        ? descendantsOf(this.d.store, a.projectId).map((p) => ({ projectId: p.id }))
        : a.domainId
          ? this.d.store.projectsInDomain(a.domainId).map((p) => ({ projectId: p.id }))
          : [];
    return { users, targets };
  }

  // The UI reloads who holds what on these events: a user's own grant, or a group's (which reaches its members).
  private announce(a: RoleAssignment): void {
    if (a.userId) this.d.bus.resource('user', a.userId, a.projectId ?? null, 'updated');
    else if (a.groupId) this.d.bus.resource('group', a.groupId, null, 'updated');
  }

  private requireParts(a: RoleAssignment): void {
    if (a.roleId && !this.d.store.role(a.roleId)) throw notFoundIn('role', a.roleId);
    if (a.userId !== undefined && !this.d.store.userRow(a.userId)) throw notFoundIn('user', a.userId);
    if (a.groupId !== undefined && !this.d.groups.group(a.groupId)) throw notFoundIn('group', a.groupId);
    if (a.projectId !== undefined && !this.d.store.project(a.projectId)) throw notFoundIn('project', a.projectId);
    if (a.domainId !== undefined && !this.d.store.domain(a.domainId)) throw notFoundIn('domain', a.domainId);
  }
}

const sameActorAndTarget = (x: RoleAssignment, a: Omit<RoleAssignment, 'roleId'>): boolean =>
  x.userId === a.userId && x.groupId === a.groupId && x.projectId === a.projectId && x.domainId === a.domainId && !!x.system === !!a.system && !!x.inherited === !!a.inherited;

const notAssigned = (a: RoleAssignment) =>
  new DeskError(
    'NotFound',
    `Could not find role assignment with role: ${a.roleId}, user or group: ${a.userId ?? a.groupId}, project, domain, or system: ${a.projectId ?? a.domainId ?? 'system'}.`,
  );
