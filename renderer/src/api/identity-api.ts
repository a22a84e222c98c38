// Identity calls (projects, users, groups, role assignments, quotas, application credentials) by resource + verb, for the Identity page.
import type { AppCredentialCreated, GroupView, InputOf, Ok, ProjectView, QuotaView, UserView } from '../../../main/api/contract/index';
import { client } from './client';

type Assignment = InputOf<'roleAssign'>;
type GroupAssignment = InputOf<'groupRoleAssign'>;

export const identityApi = {
  projectCreate: (input: InputOf<'projectCreate'>): Promise<ProjectView> => client.call('projectCreate', input),
  projectUpdate: (input: InputOf<'projectUpdate'>): Promise<ProjectView> => client.call('projectUpdate', input),
  projectDelete: (id: string): Promise<Ok> => client.call('projectDelete', { id }),
  userCreate: (input: InputOf<'userCreate'>): Promise<UserView> => client.call('userCreate', input),
  userUpdate: (input: InputOf<'userUpdate'>): Promise<UserView> => client.call('userUpdate', input),
  userSetPassword: (id: string, password: string): Promise<Ok> => client.call('userSetPassword', { id, password }),
  userDelete: (id: string): Promise<Ok> => client.call('userDelete', { id }),
  roleAssign: (a: Assignment): Promise<Ok> => client.call('roleAssign', a),
  roleUnassign: (a: Assignment): Promise<Ok> => client.call('roleUnassign', a),
  groupCreate: (input: InputOf<'groupCreate'>): Promise<GroupView> => client.call('groupCreate', input),
  groupUpdate: (input: InputOf<'groupUpdate'>): Promise<GroupView> => client.call('groupUpdate', input),
  groupDelete: (id: string): Promise<Ok> => client.call('groupDelete', { id }),
  groupMemberAdd: (groupId: string, userId: string): Promise<Ok> => client.call('groupMemberAdd', { groupId, userId }),
  groupMemberRemove: (groupId: string, userId: string): Promise<Ok> => client.call('groupMemberRemove', { groupId, userId }),
  groupRoleAssign: (a: GroupAssignment): Promise<Ok> => client.call('groupRoleAssign', a),
  groupRoleUnassign: (a: GroupAssignment): Promise<Ok> => client.call('groupRoleUnassign', a),
  appCredentialCreate: (input: InputOf<'appCredentialCreate'>): Promise<AppCredentialCreated> => client.call('appCredentialCreate', input),
  appCredentialDelete: (id: string): Promise<Ok> => client.call('appCredentialDelete', { id }),
  quotaUpdate: (input: InputOf<'quotaUpdate'>): Promise<QuotaView> => client.call('quotaUpdate', input),
};
