// The contract's identity, quota and session methods: the Identity page, the project switcher and
// the launch wizard's quota checks, against a real control plane on the demo rack.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createControlPlane, type ControlPlane } from '../../main/control-plane';
import type { RequestContext } from '../../main/core/context';
import { DeskError } from '../../main/core/errors';
import { rejectsWith } from '../helpers/rejects-with';
import { createLogger } from '../../main/core/log';
import type { LoginResult, OverQuotaDetails, ProjectView, QuotaView, RoleView, ServerView, SetupStatusView, UserView } from '../../main/api/contract/index';
import { parseCount, quotaRoom } from '../../main/api/contract/rules';
import { dispatch } from '../../main/api/rpc/dispatch';
import { sessionFromToken, WindowSession } from '../../main/api/rpc/session';

const PASSWORD = 'contract-admin-secret';

async function tempPlane(demo: boolean): Promise<{ cp: ControlPlane; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-contract-id-'));
  const cp = await createControlPlane({ dataDir: dir, demo, adminPassword: PASSWORD, config: { fakeDelayScale: 0 }, logger: createLogger('silent') });
  return {
    cp,
    close: async () => {
      await cp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('UI contract: first run', () => {
  it('checks the printed password on its own before setup, and refuses once setup is done', async () => {
    const { cp, close } = await tempPlane(false);
    try {
      const status = (await dispatch(cp, null, 'setupStatus', {})) as SetupStatusView;
      assert.equal(status.done, false);
      assert.equal(status.session, null, 'no session without a token');
      await rejectsWith(dispatch(cp, null, 'setupVerify', { currentPassword: 'not-it' }), 'Unauthorized', /printed/);
      assert.deepEqual(await dispatch(cp, null, 'setupVerify', { currentPassword: PASSWORD }), { ok: true });
      await dispatch(cp, null, 'setupStart', { currentPassword: PASSWORD, adminPassword: 'a-new-password', mode: 'empty' });
      await rejectsWith(dispatch(cp, null, 'setupVerify', { currentPassword: 'a-new-password' }), 'Conflict', /already complete/);
    } finally {
      await close();
    }
  });
});

describe('UI contract: identity, quotas and the project switcher', () => {
  let cp: ControlPlane;
  let close: () => Promise<void>;
  let admin: RequestContext;
  let imageId: string;
  let smallId: string;

  before(async () => {
    ({ cp, close } = await tempPlane(true));
    admin = cp.identity.loginLocalAdmin();
    imageId = ((await dispatch(cp, admin, 'imageList', {})) as Array<{ id: string; name: string }>).find((i) => /cirros/.test(i.name))!.id;
    smallId = ((await dispatch(cp, admin, 'flavorList', {})) as Array<{ id: string; name: string }>).find((f) => f.name === 'm1.small')!.id;
  });
  after(() => close());

  it('reports the session with setupStatus when the caller has one', async () => {
    const status = (await dispatch(cp, admin, 'setupStatus', {})) as SetupStatusView;
    assert.equal(status.session?.userName, 'admin');
    assert.equal(status.session?.isAdmin, true);
  });

  it('creates a project and a user, assigns a role, and the user signs in to only that project', async () => {
    const project = (await dispatch(cp, admin, 'projectCreate', { name: "Zoë's café", description: 'accents welcome' })) as ProjectView;
    assert.equal(project.name, "Zoë's café");
    assert.equal(project.enabled, true);
    const user = (await dispatch(cp, admin, 'userCreate', { name: 'zoe', password: 'zoe-password', defaultProjectId: project.id })) as UserView;
    assert.equal(user.builtIn, false);
    const roles = (await dispatch(cp, admin, 'roleList', {})) as RoleView[];
    const member = roles.find((r) => r.name === 'member')!;
    await dispatch(cp, admin, 'roleAssign', { userId: user.id, projectId: project.id, roleId: member.id });
    const assigned = await dispatch(cp, admin, 'roleAssignmentList', { projectId: project.id });
    assert.deepEqual(assigned, [{ userId: user.id, projectId: project.id, roleId: member.id, groupId: null, inheritedFrom: null }]);

    const login = (await dispatch(cp, null, 'authLogin', { username: 'zoe', password: 'zoe-password' })) as LoginResult;
    assert.equal(login.session.projectName, "Zoë's café");
    assert.equal(login.session.isAdmin, false);
    const zoe = sessionFromToken(cp, login.token);
    assert.deepEqual(await dispatch(cp, zoe, 'projectListMine', {}), [{ id: project.id, name: "Zoë's café" }]);
    await rejectsWith(dispatch(cp, zoe, 'projectList', {}), 'Forbidden');
    await rejectsWith(dispatch(cp, zoe, 'authRescope', { projectId: admin.projectId }, { token: login.token }), 'Forbidden', /no role/);

    // Disabling the project ends the user's access to it; enabling brings it back.
    await dispatch(cp, admin, 'projectUpdate', { id: project.id, enabled: false });
    assert.throws(() => sessionFromToken(cp, login.token), (e: unknown) => e instanceof DeskError && e.code === 'Unauthorized');
    await dispatch(cp, admin, 'projectUpdate', { id: project.id, enabled: true, description: 'back' });
    assert.equal(sessionFromToken(cp, login.token).projectId, project.id);

    // Removing the role and deleting the user and the project.
    await dispatch(cp, admin, 'roleUnassign', { userId: user.id, projectId: project.id, roleId: member.id });
    assert.deepEqual(await dispatch(cp, admin, 'roleAssignmentList', { projectId: project.id }), []);
    await dispatch(cp, admin, 'userDelete', { id: user.id });
    await dispatch(cp, admin, 'projectDelete', { id: project.id });
    assert.ok(!((await dispatch(cp, admin, 'projectList', {})) as ProjectView[]).some((p) => p.id === project.id));
  });

  it('refuses to disable or delete the local administrator', async () => {
    const users = (await dispatch(cp, admin, 'userList', {})) as UserView[];
    const me = users.find((u) => u.builtIn)!;
    assert.equal(me.name, 'admin');
    await rejectsWith(dispatch(cp, admin, 'userUpdate', { id: me.id, enabled: false }), 'Forbidden');
    await rejectsWith(dispatch(cp, admin, 'userDelete', { id: me.id }), 'Forbidden');
    await rejectsWith(dispatch(cp, admin, 'userCreate', { name: 'short', password: 'short' }), 'BadRequest', /at least 8/);
  });

  it('resets a password: the old one stops working, the new one signs in', async () => {
    const user = (await dispatch(cp, admin, 'userCreate', { name: 'reset-me', password: 'first-password', defaultProjectId: admin.projectId })) as UserView;
    const member = ((await dispatch(cp, admin, 'roleList', {})) as RoleView[]).find((r) => r.name === 'member')!;
    await dispatch(cp, admin, 'roleAssign', { userId: user.id, projectId: admin.projectId, roleId: member.id });
    const before = (await dispatch(cp, null, 'authLogin', { username: 'reset-me', password: 'first-password' })) as LoginResult;
    await dispatch(cp, admin, 'userSetPassword', { id: user.id, password: 'second-password' });
    assert.throws(() => sessionFromToken(cp, before.token), 'the reset ends the old tokens');
    await rejectsWith(dispatch(cp, null, 'authLogin', { username: 'reset-me', password: 'first-password' }), 'Unauthorized');
    await dispatch(cp, null, 'authLogin', { username: 'reset-me', password: 'second-password' });
    await dispatch(cp, admin, 'userDelete', { id: user.id });
  });

  it('switches projects: a rescoped token over HTTP, the window session over IPC', async () => {
    const second = (await dispatch(cp, admin, 'projectCreate', { name: 'second' })) as ProjectView;
    const adminRole = ((await dispatch(cp, admin, 'roleList', {})) as RoleView[]).find((r) => r.name === 'admin')!;
    await dispatch(cp, admin, 'roleAssign', { userId: admin.userId, projectId: second.id, roleId: adminRole.id });
    const mine = (await dispatch(cp, admin, 'projectListMine', {})) as Array<{ name: string }>;
    assert.deepEqual(mine.map((p) => p.name).sort(), ['admin', 'second']);

    // Signing in without a project picks the user's default project over the others.
    const both = (await dispatch(cp, admin, 'userCreate', { name: 'two-homes', password: 'two-homes-pw', defaultProjectId: second.id })) as UserView;
    const member = ((await dispatch(cp, admin, 'roleList', {})) as RoleView[]).find((r) => r.name === 'member')!;
    for (const projectId of [admin.projectId, second.id]) await dispatch(cp, admin, 'roleAssign', { userId: both.id, projectId, roleId: member.id });
    assert.equal(((await dispatch(cp, null, 'authLogin', { username: 'two-homes', password: 'two-homes-pw' })) as LoginResult).session.projectName, 'second');

    const login = (await dispatch(cp, null, 'authLogin', { username: 'admin', password: PASSWORD })) as LoginResult;
    const ctx = sessionFromToken(cp, login.token);
    const moved = (await dispatch(cp, ctx, 'authRescope', { projectId: second.id }, { token: login.token })) as LoginResult;
    assert.equal(moved.session.projectName, 'second');
    assert.equal(sessionFromToken(cp, moved.token).projectId, second.id);
    assert.throws(() => sessionFromToken(cp, login.token), 'the old token is revoked');

    const win = new WindowSession(admin);
    const res = (await dispatch(cp, win.current, 'authRescope', { projectId: second.id }, { rescope: win.rescope })) as LoginResult;
    assert.equal(res.session.projectName, 'second');
    assert.equal(win.current.projectId, second.id);
    await rejectsWith(dispatch(cp, admin, 'authRescope', { projectId: second.id }), 'Unavailable', /cannot switch/);
  });

  it('reads and sets quotas, and explains an over-quota launch with numbers', async () => {
    const p = (await dispatch(cp, admin, 'projectCreate', { name: 'tight' })) as ProjectView;
    const adminRole = ((await dispatch(cp, admin, 'roleList', {})) as RoleView[]).find((r) => r.name === 'admin')!;
    await dispatch(cp, admin, 'roleAssign', { userId: admin.userId, projectId: p.id, roleId: adminRole.id });
    const q = (await dispatch(cp, admin, 'quotaGet', { projectId: p.id })) as QuotaView;
    assert.equal(q.limits.instances, 10);
    assert.equal(q.usage.instances, 0);
    const set = (await dispatch(cp, admin, 'quotaUpdate', { projectId: p.id, limits: { instances: 1, cores: -1 } })) as QuotaView;
    assert.equal(set.limits.instances, 1);
    assert.equal(set.limits.cores, -1);

    const inTight = cp.identity.contextFor(admin.userId, p.id);
    const [vm] = (await dispatch(cp, inTight, 'serverCreate', { name: 'Zoë’s café', imageId, flavorId: smallId })) as ServerView[];
    assert.equal(vm.name, 'Zoë’s café', 'accented names pass the contract as they pass Nova');
    await cp.compute.settled(vm.id);
    assert.equal(((await dispatch(cp, inTight, 'quotaGet', {})) as QuotaView).usage.instances, 1);
    const refused = await rejectsWith(dispatch(cp, inTight, 'serverCreate', { name: 'two', imageId, flavorId: smallId }), 'OverQuota', /instances/);
    const d = refused.details as unknown as OverQuotaDetails;
    assert.deepEqual(d.overs, ['instances']);
    assert.equal(d.limits.instances, 1);
    assert.equal(d.used.instances, 1);
    assert.equal(d.requested.instances, 1);

    await rejectsWith(dispatch(cp, admin, 'quotaUpdate', { projectId: p.id, limits: { instances: 0 } }), 'BadRequest', /already used/);
    assert.equal(((await dispatch(cp, admin, 'quotaUpdate', { projectId: p.id, limits: { instances: 0 }, force: true })) as QuotaView).limits.instances, 0);
    await rejectsWith(dispatch(cp, admin, 'quotaUpdate', { projectId: p.id, limits: { instances: -2 } }), 'BadRequest', /unlimited/);
    await rejectsWith(dispatch(cp, admin, 'quotaUpdate', { projectId: 'nope', limits: { instances: 3 } }), 'NotFound');
    await rejectsWith(dispatch(cp, { ...inTight, isAdmin: false, roles: ['member'] }, 'quotaGet', { projectId: admin.projectId }), 'Forbidden');
    await dispatch(cp, inTight, 'serverDelete', { id: vm.id });
    await cp.compute.settled(vm.id);
  });

  it('refuses names Nova refuses and decimal counts', async () => {
    await rejectsWith(dispatch(cp, admin, 'serverCreate', { name: ' lead', imageId, flavorId: smallId }), 'BadRequest', /name/);
    await rejectsWith(dispatch(cp, admin, 'serverCreate', { name: 'ok', imageId, flavorId: smallId, count: 1.5 }), 'BadRequest', /whole number/);
  });
});

describe('contract rules shared with the UI', () => {
  it('parses typed counts', () => {
    assert.deepEqual(parseCount('3'), { count: 3 });
    assert.deepEqual(parseCount(' 12 '), { count: 12 });
    assert.ok('error' in parseCount('1.5'));
    assert.ok('error' in parseCount('0'));
    assert.ok('error' in parseCount('51'));
    assert.ok('error' in parseCount(''));
  });

  it('computes the quota room of a flavor', () => {
    const limits = { instances: 10, cores: 20, ram: 51200 };
    assert.equal(quotaRoom(limits, { instances: 10, cores: 10, ram: 0 }, 1, 512), 0);
    assert.equal(quotaRoom(limits, { instances: 2, cores: 16, ram: 0 }, 2, 512), 2);
    assert.equal(quotaRoom({ instances: -1, cores: -1, ram: -1 }, { instances: 99, cores: 99, ram: 99 }, 1, 1), Infinity);
  });
});
