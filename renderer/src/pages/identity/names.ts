import { useMemo } from 'react';
import type { RoleAssignmentView } from '../../../../main/api/contract/index';
import { selectAssignments, selectProjects, selectRoles, selectUsers, useIdentity } from '../../stores/identity';

/** A role assignment with the names the page shows. */
export interface NamedAssignment extends RoleAssignmentView {
  userName: string;
  projectName: string;
  roleName: string;
}

/** Every role assignment with user, project and role names, sorted for reading. */
export function useNamedAssignments(): NamedAssignment[] {
  const assignments = useIdentity(selectAssignments);
  const users = useIdentity(selectUsers);
  const projects = useIdentity(selectProjects);
  const roles = useIdentity(selectRoles);
  return useMemo(() => {
    const u = new Map(users.map((x) => [x.id, x.name]));
    const p = new Map(projects.map((x) => [x.id, x.name]));
    const r = new Map(roles.map((x) => [x.id, x.name]));
    return assignments
      .map((a) => ({ ...a, userName: u.get(a.userId) ?? a.userId, projectName: p.get(a.projectId) ?? a.projectId, roleName: r.get(a.roleId) ?? a.roleId }))
      .sort((a, b) => a.projectName.localeCompare(b.projectName) || a.userName.localeCompare(b.userName) || a.roleName.localeCompare(b.roleName));
  }, [assignments, users, projects, roles]);
}
