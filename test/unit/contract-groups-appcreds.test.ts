// The contract's groups, sourced role assignments and application credentials (the Identity page's second
// pass), against a real control plane: a group's grant reaches its members, and a credential made through
// the contract authenticates until it is revoked.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppCredentialCreated, AppCredentialView, GroupView, LoginResult, ProjectView, RoleAssignmentView, RoleView, UserView } from '../../main/api/contract/index';
import { dispatch } from '../../main/api/rpc/dispatch';
import { sessionFromToken } from '../../main/api/rpc/session';
import { createControlPlane, type ControlPlane } from '../../main/control-plane';
import type { RequestContext } from '../../main/core/context';
import { createLogger } from '../../main/core/log';
import { rejectsWith } from '../helpers/rejects-with';

const PASSWORD = 'contract-admin-secret';

describe('UI contract: groups, sourced role assignments, application credentials', () => {
  let cp: ControlPlane;
  let dir: string;
  let admin: RequestContext;
  let roles: Map<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deskstack-contract-groups-'));
    cp = await createControlPlane({ dataDir: dir, adminPassword: PASSWORD, config: { fakeDelayScale: 0 }, logger: createLogger('silent') });
    admin = cp.identity.loginLocalAdmin();
    roles = new Map(((await dispatch(cp, admin, 'roleList', {})) as RoleView[]).map((r) => [r.name, r.id]));
  });
  after(async () => {
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = <T>(ctx: RequestContext | null, method: string, input: unknown, token?: string): Promise<T> => dispatch(cp, ctx, method, input, { token: token ?? null }) as Promise<T>;

  it('a group’s role on a project reaches its members, with the group named as the source', async () => {
    const lab = await call<ProjectView>(admin, 'projectCreate', { name: 'lab' });
    const ana = await call<UserView>(admin, 'userCreate', { name: 'ana', password: 'ana-password' });
    const group = await call<GroupView>(admin, 'groupCreate', { name: 'devs', description: 'the developers' });
    assert.deepEqual([group.name, group.memberIds, group.grants], ['devs', [], []]);
    await rejectsWith(call(admin, 'groupCreate', { name: 'devs' }), 'Conflict');

    await call(admin, 'groupMemberAdd', { groupId: group.id, userId: ana.id });
    // A group's grant is pushed as a group event, so open pages reload who holds what.
    const events: string[] = [];
    const stop = cp.bus.subscribe((e) => e.type === 'resource' && events.push(`${e.kind}:${e.id}:${e.action}`));
    await call(admin, 'groupRoleAssign', { groupId: group.id, projectId: lab.id, roleId: roles.get('member') });
    stop();
    assert.deepEqual(events, [`group:${group.id}:updated`]);
    const [listed] = (await call<GroupView[]>(admin, 'groupList', {})).filter((g) => g.id === group.id);
    assert.deepEqual(listed.memberIds, [ana.id]);
    assert.deepEqual(listed.grants, [{ roleId: roles.get('member'), projectId: lab.id, domainId: null, domainName: null, inherited: false }]);

    const held = await call<RoleAssignmentView[]>(admin, 'roleAssignmentList', { userId: ana.id });
    assert.deepEqual(held, [{ userId: ana.id, projectId: lab.id, roleId: roles.get('member'), groupId: group.id, inheritedFrom: null }]);
    // The member signs in to the project the group gives her.
    const login = await call<LoginResult>(null, 'authLogin', { username: 'ana', password: 'ana-password' });
    assert.equal(login.session.projectName, 'lab');
    // A role held through a group is not a direct grant: roleUnassign cannot remove it.
    await rejectsWith(call(admin, 'roleUnassign', { userId: ana.id, projectId: lab.id, roleId: roles.get('member') }), 'NotFound');

    const renamed = await call<GroupView>(admin, 'groupUpdate', { id: group.id, name: 'developers' });
    assert.equal(renamed.name, 'developers');
    assert.equal(renamed.description, 'the developers');

    // Removing her from the group ends her access; so does deleting the group for those still in it.
    await call(admin, 'groupMemberRemove', { groupId: group.id, userId: ana.id });
    assert.deepEqual(await call(admin, 'roleAssignmentList', { userId: ana.id }), []);
    assert.throws(() => sessionFromToken(cp, login.token), 'her token ends with the role');
    await call(admin, 'groupMemberAdd', { groupId: group.id, userId: ana.id });
    await call(admin, 'groupRoleUnassign', { groupId: group.id, projectId: lab.id, roleId: roles.get('member') });
    assert.deepEqual(await call(admin, 'roleAssignmentList', { userId: ana.id }), []);
    await call(admin, 'groupRoleAssign', { groupId: group.id, projectId: lab.id, roleId: roles.get('reader') });
    await call(admin, 'groupDelete', { id: group.id });
    assert.deepEqual(await call(admin, 'roleAssignmentList', { userId: ana.id }), []);
    await rejectsWith(call(admin, 'groupMemberAdd', { groupId: group.id, userId: ana.id }), 'NotFound');
  });

  it('shows inherited grants with the domain or parent project they come from', async () => {
    const parent = cp.identity.createProject(admin, { name: 'parent' });
    const child = cp.identity.createProject(admin, { name: 'child', parentId: parent.id });
    const bo = await call<UserView>(admin, 'userCreate', { name: 'bo', password: 'bo-password' });
    cp.identity.assignRole(admin, { userId: bo.id, projectId: parent.id, roleId: roles.get('reader')!, inherited: true });
    cp.identity.assignRole(admin, { userId: bo.id, domainId: 'default', roleId: roles.get('member')!, inherited: true });
    const onChild = await call<RoleAssignmentView[]>(admin, 'roleAssignmentList', { userId: bo.id, projectId: child.id });
    assert.deepEqual(
      onChild.map((a) => [a.roleId, a.groupId, a.inheritedFrom]).sort(),
      [
        [roles.get('member'), null, { kind: 'domain', id: 'default', name: 'Default' }],
        [roles.get('reader'), null, { kind: 'project', id: parent.id, name: 'parent' }],
      ].sort(),
    );
    // The inherited reader role does not apply to the parent itself, only the domain's member role does.
    const onParent = await call<RoleAssignmentView[]>(admin, 'roleAssignmentList', { userId: bo.id, projectId: parent.id });
    assert.deepEqual(onParent.map((a) => a.roleId), [roles.get('member')]);
  });

  it('refuses group methods to non-admins', async () => {
    const member = { ...admin, isAdmin: false, roles: ['member'] };
    await rejectsWith(call(member, 'groupList', {}), 'Forbidden');
    await rejectsWith(call(member, 'groupCreate', { name: 'x' }), 'Forbidden');
    await rejectsWith(call(admin, 'groupCreate', { name: 'x', extra: 1 }), 'BadRequest');
  });

  it('makes an application credential with chosen roles; its secret authenticates until it is revoked', async () => {
    const p = await call<ProjectView>(admin, 'projectCreate', { name: 'ci' });
    const cy = await call<UserView>(admin, 'userCreate', { name: 'cy', password: 'cy-password' });
    await call(admin, 'roleAssign', { userId: cy.id, projectId: p.id, roleId: roles.get('member') });
    const login = await call<LoginResult>(null, 'authLogin', { username: 'cy', password: 'cy-password' });
    const cyCtx = sessionFromToken(cp, login.token);

    await rejectsWith(call(cyCtx, 'appCredentialCreate', { name: 'tf', roles: ['admin'] }, login.token), 'Forbidden', /admin/);
    await rejectsWith(call(cyCtx, 'appCredentialCreate', { name: 'tf', roles: [] }, login.token), 'BadRequest', /at least one role/);
    await rejectsWith(call(cyCtx, 'appCredentialCreate', { name: 'tf', roles: ['reader'], expiresAt: '2001-01-01T00:00:00Z' }, login.token), 'BadRequest', /past/);

    const made = await call<AppCredentialCreated>(cyCtx, 'appCredentialCreate', { name: 'tf', description: 'terraform', roles: ['reader'], expiresAt: '2999-01-01T00:00:00.000Z' }, login.token);
    assert.equal(made.authUrl, null, 'no REST port is bound in this test');
    assert.equal(made.regionName, 'RegionOne');
    assert.deepEqual(
      { ...made.credential, id: '', createdAt: '' },
      { id: '', name: 'tf', description: 'terraform', projectId: p.id, projectName: 'ci', roles: ['reader'], expiresAt: '2999-01-01T00:00:00.000000Z', unrestricted: false, createdAt: '' },
    );
    assert.ok(made.secret.length >= 32);
    const listed = await call<AppCredentialView[]>(cyCtx, 'appCredentialList', {});
    assert.deepEqual(listed.map((c) => c.id), [made.credential.id]);
    // Another user does not see it.
    assert.deepEqual(await call(admin, 'appCredentialList', {}), []);

    const auth = { methods: ['application_credential'], applicationCredential: { id: made.credential.id, secret: made.secret } };
    const issued = await cp.identity.issueToken(auth);
    assert.deepEqual([issued.data.project?.name, issued.data.roles.map((r) => r.name)], ['ci', ['reader']]);

    // A session made from a restricted credential may not make or revoke credentials over the contract.
    const restricted = sessionFromToken(cp, issued.token);
    await rejectsWith(call(restricted, 'appCredentialCreate', { name: 'escalate', roles: ['reader'] }, issued.token), 'Forbidden', /restricted/);
    await rejectsWith(call(restricted, 'appCredentialDelete', { id: made.credential.id }, issued.token), 'Forbidden', /restricted/);

    await call(cyCtx, 'appCredentialDelete', { id: made.credential.id }, login.token);
    assert.throws(() => cp.identity.validateToken(issued.token), 'its tokens end with it');
    await assert.rejects(cp.identity.issueToken(auth));
    assert.deepEqual(await call(cyCtx, 'appCredentialList', {}), []);
  });

  it('gives auth_url once serve has bound its port; the app window acts for its own user', async () => {
    const was = cp.publicUrl;
    cp.publicUrl = 'http://127.0.0.1:7480';
    try {
      const made = await call<AppCredentialCreated>(admin, 'appCredentialCreate', { name: 'window', roles: ['member'], unrestricted: true });
      assert.equal(made.authUrl, 'http://127.0.0.1:7480/identity/v3');
      assert.equal(made.credential.unrestricted, true);
      assert.equal(made.credential.projectName, 'admin');
      await call(admin, 'appCredentialDelete', { id: made.credential.id });
    } finally {
      cp.publicUrl = was;
    }
  });
});
