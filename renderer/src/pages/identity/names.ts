import { useMemo } from 'react';
import type { RoleAssignmentView } from '../../../../main/api/contract/index';
import { selectAssignments, selectGroups, selectProjects, selectRoles, selectUsers, useIdentity } from '../../stores/identity';

/** A role assignment with the names the page shows. */
export interface NamedAssignment extends RoleAssignmentView {
  userName: string;
  projectName: string;
  roleName: string;
  /** Where the role comes from when it is not the user's own grant ("via group devs"); null for a direct grant. */
  source: string | null;
  /** Unique per grant: one role can reach a project through several. */
  key: string;
}

/** Where a role held through a group or inheritance comes from, in words; null for a direct grant. */
export function sourceOf(a: RoleAssignmentView, groupName: (id: string) => string): string | null {
  const via = a.groupId ? `via group ${groupName(a.groupId)}` : null;
  const from = a.inheritedFrom ? `inherited from ${a.inheritedFrom.kind} ${a.inheritedFrom.name}` : null;
  return via && from ? `${via}, ${from}` : (via ?? from);
}

/** Every user's roles on projects with user, project, role and source names, sorted for reading (direct grants first). */
export function useNamedAssignments(): NamedAssignment[] {
  const assignments = useIdentity(selectAssignments);
  const users = useIdentity(selectUsers);
  const projects = useIdentity(selectProjects);
  const roles = useIdentity(selectRoles);
  const groups = useIdentity(selectGroups);
  return useMemo(() => {
    const u = new Map(users.map((x) => [x.id, x.name]));
    const p = new Map(projects.map((x) => [x.id, x.name]));
    const r = new Map(roles.map((x) => [x.id, x.name]));
    const g = new Map(groups.map((x) => [x.id, x.name]));
    return assignments
      .map((a) => ({
        ...a,
        userName: u.get(a.userId) ?? a.userId,
        projectName: p.get(a.projectId) ?? a.projectId,
        roleName: r.get(a.roleId) ?? a.roleId,
        source: sourceOf(a, (id) => g.get(id) ?? id),
        key: [a.userId, a.projectId, a.roleId, a.groupId ?? '', a.inheritedFrom?.id ?? ''].join('/'),
      }))
      .sort((a, b) => a.projectName.localeCompare(b.projectName) || a.userName.localeCompare(b.userName) || Number(a.source !== null) - Number(b.source !== null) || a.roleName.localeCompare(b.roleName));
  }, [assignments, users, projects, roles, groups]);
}
