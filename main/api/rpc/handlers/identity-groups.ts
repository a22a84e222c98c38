// Groups, their members and their grants on projects for the Identity page (admin only).
import type { ControlPlane } from '../../../control-plane';
import type { RequestContext } from '../../../core/context';
import type { Group, RoleAssignment } from '../../../identity/types';
import type { GroupGrantView, GroupView, Ok } from '../../contract/views';
import type { Handler } from '../dispatch';

const OK: Ok = { ok: true };

const grantView = (cp: ControlPlane, a: RoleAssignment): GroupGrantView => ({
  roleId: a.roleId,
  projectId: a.projectId ?? null,
  domainId: a.domainId ?? null,
  domainName: a.domainId ? (cp.identity.domainName(a.domainId) ?? a.domainId) : null,
  inherited: !!a.inherited,
});

function groupView(cp: ControlPlane, ctx: RequestContext, g: Group, grants: RoleAssignment[]): GroupView {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    domainId: g.domainId,
    memberIds: cp.identity.groups.members(ctx, g.id).map((u) => u.id),
    // System grants reach no project: the page leaves them out.
    grants: grants.filter((a) => a.groupId === g.id && !a.system).map((a) => grantView(cp, a)),
  };
}

const one = (cp: ControlPlane, ctx: RequestContext, g: Group): GroupView => groupView(cp, ctx, g, cp.identity.listRoleAssignments(ctx, { groupId: g.id }));

export const groupList: Handler<'groupList'> = ({ cp, ctx }) => {
  const grants = cp.identity.listRoleAssignments(ctx).filter((a) => a.groupId !== undefined);
  return cp.identity.groups.list(ctx).map((g) => groupView(cp, ctx, g, grants));
};

export const groupCreate: Handler<'groupCreate'> = ({ cp, ctx }, input) => one(cp, ctx, cp.identity.groups.create(ctx, { name: input.name, description: input.description }));

export const groupUpdate: Handler<'groupUpdate'> = ({ cp, ctx }, input) => one(cp, ctx, cp.identity.groups.update(ctx, input.id, { name: input.name, description: input.description }));

export const groupDelete: Handler<'groupDelete'> = ({ cp, ctx }, input) => {
  cp.identity.groups.delete(ctx, input.id);
  return OK;
};

export const groupMemberAdd: Handler<'groupMemberAdd'> = ({ cp, ctx }, input) => {
  cp.identity.groups.addMember(ctx, input.groupId, input.userId);
  return OK;
};

export const groupMemberRemove: Handler<'groupMemberRemove'> = ({ cp, ctx }, input) => {
  cp.identity.groups.removeMember(ctx, input.groupId, input.userId);
  return OK;
};

export const groupRoleAssign: Handler<'groupRoleAssign'> = ({ cp, ctx }, input) => {
  cp.identity.assignRole(ctx, input);
  return OK;
};

export const groupRoleUnassign: Handler<'groupRoleUnassign'> = ({ cp, ctx }, input) => {
  cp.identity.unassignRole(ctx, input);
  return OK;
};
