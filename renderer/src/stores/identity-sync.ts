// Loads the Identity page's store and keeps it current from pushed project, user, group and quota events.
import { client } from '../api/client';
import { emptyIdentity, useIdentity } from './identity';
import { settle } from './settle';

export async function loadIdentity(): Promise<void> {
  const [projects, users, roles, assignments, groups] = await Promise.all([
    settle(client.call('projectList', {})),
    settle(client.call('userList', {})),
    settle(client.call('roleList', {})),
    settle(client.call('roleAssignmentList', {})),
    settle(client.call('groupList', {})),
  ]);
  useIdentity.setState((s) => ({
    loaded: true,
    projects: projects ?? s.projects,
    users: users ?? s.users,
    roles: roles ?? s.roles,
    assignments: assignments ?? s.assignments,
    groups: groups ?? s.groups,
  }));
}

export function clearIdentity(): void {
  useIdentity.setState(emptyIdentity(), true);
}

export async function reloadProjects(): Promise<void> {
  const projects = await settle(client.call('projectList', {}));
  if (projects) useIdentity.setState({ projects });
}

/**
 * Users, groups and who holds which role where. A grant is pushed as a user or group event, and a user,
 * group or project that goes changes memberships and grants too, so they reload together.
 */
export async function reloadPeople(): Promise<void> {
  const [users, assignments, groups] = await Promise.all([settle(client.call('userList', {})), settle(client.call('roleAssignmentList', {})), settle(client.call('groupList', {}))]);
  useIdentity.setState((s) => ({ users: users ?? s.users, assignments: assignments ?? s.assignments, groups: groups ?? s.groups }));
}

/** Loads a project's quota into the store; later events keep it current. */
export async function openProjectQuota(projectId: string): Promise<void> {
  const quota = await settle(client.call('quotaGet', { projectId }));
  if (quota) useIdentity.setState((s) => ({ quotas: { ...s.quotas, [projectId]: quota } }));
}

/** Refreshes the quotas already open (a quota change, or servers that changed usage). */
export async function reloadOpenQuotas(ids?: Iterable<string>): Promise<void> {
  const open = useIdentity.getState().quotas;
  const wanted = [...(ids ?? Object.keys(open))].filter((id) => open[id]);
  await Promise.all(wanted.map(openProjectQuota));
}
