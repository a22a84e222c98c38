import { create } from 'zustand';
import type { GroupView, ProjectView, QuotaView, RoleAssignmentView, RoleView, UserView } from '../../../main/api/contract/index';

/** What the Identity page shows (admins only), as the control plane last told us. Only identity-sync.ts writes here. */
export interface IdentityState {
  loaded: boolean;
  projects: ProjectView[];
  users: UserView[];
  roles: RoleView[];
  /** Users' roles on projects: their own, their groups' and inherited ones. */
  assignments: RoleAssignmentView[];
  groups: GroupView[];
  /** Quotas of the projects someone opened, kept current by quota and server events. */
  quotas: Record<string, QuotaView>;
}

export const emptyIdentity = (): IdentityState => ({ loaded: false, projects: [], users: [], roles: [], assignments: [], groups: [], quotas: {} });

export const useIdentity = create<IdentityState>(() => emptyIdentity());

export const selectProjects = (s: IdentityState) => s.projects;
export const selectUsers = (s: IdentityState) => s.users;
export const selectRoles = (s: IdentityState) => s.roles;
export const selectAssignments = (s: IdentityState) => s.assignments;
export const selectGroups = (s: IdentityState) => s.groups;
export const selectProjectQuota = (id: string | null) => (s: IdentityState) => (id ? s.quotas[id] : undefined);
