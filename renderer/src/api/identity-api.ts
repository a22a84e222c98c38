// Identity calls (projects, users, role assignments, quotas) by resource + verb, for the Identity page.
import type { InputOf, Ok, ProjectView, QuotaView, UserView } from '../../../main/api/contract/index';
import { client } from './client';

type Assignment = InputOf<'roleAssign'>;

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
  quotaUpdate: (input: InputOf<'quotaUpdate'>): Promise<QuotaView> => client.call('quotaUpdate', input),
};
