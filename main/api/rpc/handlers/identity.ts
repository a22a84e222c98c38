// Projects, users, roles and users' roles on projects for the Identity page (admin only, except the role list).
import type { ControlPlane } from '../../../control-plane';
import type { Project, User } from '../../../identity/types';
import type { Ok, ProjectView, RoleAssignmentView, RoleView, UserView } from '../../contract/views';
import type { Handler } from '../dispatch';

const OK: Ok = { ok: true };

const projectView = (p: Project): ProjectView => ({ id: p.id, name: p.name, description: p.description, enabled: p.enabled, domainId: p.domainId, createdAt: p.createdAt });

function userView(cp: ControlPlane): (u: User) => UserView {
  const builtIn = cp.identity.adminIds().userId;
  return (u) => ({ id: u.id, name: u.name, enabled: u.enabled, email: u.email, defaultProjectId: u.defaultProjectId, createdAt: u.createdAt, builtIn: u.id === builtIn });
}

export const projectList: Handler<'projectList'> = ({ cp, ctx }) => cp.identity.listProjects(ctx).map(projectView);

export const projectCreate: Handler<'projectCreate'> = ({ cp, ctx }, input) =>
  projectView(cp.identity.createProject(ctx, { name: input.name, description: input.description, enabled: input.enabled }));

export const projectUpdate: Handler<'projectUpdate'> = ({ cp, ctx }, input) =>
  projectView(cp.identity.updateProject(ctx, input.id, { name: input.name, description: input.description, enabled: input.enabled }));

export const projectDelete: Handler<'projectDelete'> = ({ cp, ctx }, input) => {
  cp.identity.deleteProject(ctx, input.id);
  return OK;
};

export const userList: Handler<'userList'> = ({ cp, ctx }) => cp.identity.listUsers(ctx).map(userView(cp));

export const userCreate: Handler<'userCreate'> = async ({ cp, ctx }, input) =>
  userView(cp)(await cp.identity.createUser(ctx, { name: input.name, password: input.password, email: input.email ?? null, defaultProjectId: input.defaultProjectId ?? null, enabled: input.enabled }));

export const userUpdate: Handler<'userUpdate'> = async ({ cp, ctx }, input) =>
  userView(cp)(await cp.identity.updateUser(ctx, input.id, { name: input.name, email: input.email, enabled: input.enabled, defaultProjectId: input.defaultProjectId }));

export const userSetPassword: Handler<'userSetPassword'> = async ({ cp, ctx }, input) => {
  await cp.identity.updateUser(ctx, input.id, { password: input.password });
  return OK;
};

export const userDelete: Handler<'userDelete'> = ({ cp, ctx }, input) => {
  cp.identity.deleteUser(ctx, input.id);
  return OK;
};

export const roleList: Handler<'roleList'> = ({ cp, ctx }): RoleView[] => cp.identity.listRoles(ctx).map((r) => ({ id: r.id, name: r.name, description: r.description }));

export const roleAssignmentList: Handler<'roleAssignmentList'> = ({ cp, ctx }, input): RoleAssignmentView[] =>
  cp.identity.grants.projectRoles(ctx, { userId: input.userId, projectId: input.projectId }).map(({ inheritedFrom: from, ...a }) => ({
    ...a,
    inheritedFrom: !from
      ? null
      : 'domainId' in from
        ? { kind: 'domain', id: from.domainId, name: cp.identity.domainName(from.domainId) ?? from.domainId }
        : { kind: 'project', id: from.projectId, name: cp.identity.projectName(from.projectId) ?? from.projectId },
  }));

export const roleAssign: Handler<'roleAssign'> = ({ cp, ctx }, input) => {
  cp.identity.assignRole(ctx, input);
  return OK;
};

export const roleUnassign: Handler<'roleUnassign'> = ({ cp, ctx }, input) => {
  cp.identity.unassignRole(ctx, input);
  return OK;
};
