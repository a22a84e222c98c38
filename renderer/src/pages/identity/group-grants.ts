import { useMemo } from 'react';
import type { GroupGrantView, GroupView } from '../../../../main/api/contract/index';
import { selectProjects, selectRoles, useIdentity } from '../../stores/identity';

/** A group's grant with the names the page shows; only a grant on one project is changed here. */
export interface NamedGroupGrant extends GroupGrantView {
  key: string;
  roleName: string;
  /** "lab", or for the others where they apply: "projects below lab", "every project of domain Default". */
  where: string;
  editable: boolean;
}

type Names = { project: (id: string) => string; role: (id: string) => string };

function nameGrants(group: GroupView, n: Names): NamedGroupGrant[] {
  return group.grants
    .map((g) => {
      const project = g.projectId ? n.project(g.projectId) : null;
      const domain = g.domainName ?? g.domainId;
      const where = project ? (g.inherited ? `projects below ${project}` : project) : g.inherited ? `every project of domain ${domain}` : `domain ${domain}`;
      return { ...g, key: [g.roleId, g.projectId, g.domainId, g.inherited].join('/'), roleName: n.role(g.roleId), where, editable: project !== null && !g.inherited };
    })
    .sort((a, b) => Number(b.editable) - Number(a.editable) || a.where.localeCompare(b.where) || a.roleName.localeCompare(b.roleName));
}

/** Every group's grants, named, project grants first, by group id. */
export function useGroupGrants(groups: GroupView[]): Map<string, NamedGroupGrant[]> {
  const projects = useIdentity(selectProjects);
  const roles = useIdentity(selectRoles);
  return useMemo(() => {
    const p = new Map(projects.map((x) => [x.id, x.name]));
    const r = new Map(roles.map((x) => [x.id, x.name]));
    const names: Names = { project: (id) => p.get(id) ?? id, role: (id) => r.get(id) ?? id };
    return new Map(groups.map((g) => [g.id, nameGrants(g, names)]));
  }, [groups, projects, roles]);
}
