import type { AssignmentStore } from './assignment-store';
import type { IdentityStore } from './identity-store';
import type { NamedRef, Project, Role, RoleAssignment } from './types';

/** Where a role is held: a project, a domain or the whole system. */
export type Target = { projectId: string } | { domainId: string } | { system: true };

/** The role ids reachable from the given ones through inference rules (the given ones included). */
export function impliedClosure(rules: Array<[string, string]>, roleIds: Iterable<string>): string[] {
  const next = new Map<string, string[]>();
  for (const [p, i] of rules) next.set(p, [...(next.get(p) ?? []), i]);
  const seen = new Set<string>();
  const todo = [...roleIds];
  while (todo.length) {
    const id = todo.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(next.get(id) ?? []));
  }
  return [...seen];
}

/** The project's ancestors, nearest first (a cycle cannot exist, but a damaged row must not hang us). */
export function ancestorsOf(store: IdentityStore, project: Project): Project[] {
  const out: Project[] = [];
  let cur = project.parentId ? store.project(project.parentId) : null;
  while (cur && out.length < 100 && !out.some((p) => p.id === cur!.id)) {
    out.push(cur);
    cur = cur.parentId ? store.project(cur.parentId) : null;
  }
  return out;
}

/** Every project below the given one, depth first. */
export function descendantsOf(store: IdentityStore, projectId: string): Project[] {
  const out: Project[] = [];
  const walk = (id: string, depth: number) => {
    if (depth > 100) return;
    for (const c of store.children(id)) {
      out.push(c);
      walk(c.id, depth + 1);
    }
  };
  walk(projectId, 0);
  return out;
}

/**
 * True when the assignment gives its role on the target: a direct one on the target itself, an inherited
 * one on the project's domain or on one of its ancestors.
 */
export function appliesTo(a: RoleAssignment, target: Target, project: Project | null, ancestors: Project[]): boolean {
  if ('system' in target) return !!a.system && !a.inherited;
  if ('domainId' in target) return a.domainId === target.domainId && !a.inherited;
  if (!project) return false;
  if (a.projectId === project.id) return !a.inherited;
  if (!a.inherited) return false;
  return a.domainId === project.domainId || (a.projectId !== undefined && ancestors.some((p) => p.id === a.projectId));
}

/** Named global roles from a set of held role ids: implied roles added, domain-specific roles left out (as in tokens). */
export function tokenRoles(store: IdentityStore, assignments: AssignmentStore, roleIds: Iterable<string>): NamedRef[] {
  return impliedClosure(assignments.rules(), roleIds)
    .map((id) => store.role(id))
    .filter((r): r is Role => r !== null && r.domainId === null)
    .map((r) => ({ id: r.id, name: r.name }));
}

/** The roles a user holds on a target right now: own and groups', inherited and implied ones included. */
export function effectiveRoles(store: IdentityStore, assignments: AssignmentStore, userId: string, target: Target): NamedRef[] {
  const project = 'projectId' in target ? store.project(target.projectId) : null;
  const ancestors = project ? ancestorsOf(store, project) : [];
  const held = assignments.ofUser(userId).filter((a) => appliesTo(a, target, project, ancestors));
  return tokenRoles(store, assignments, new Set(held.map((a) => a.roleId)));
}
