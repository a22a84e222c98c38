import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createControlPlane, type ControlPlane } from '../../main/control-plane';
import type { RequestContext } from '../../main/core/context';
import { rejectsWith } from '../helpers/rejects-with';
import { createLogger } from '../../main/core/log';
import { access, inputs } from '../../main/api/contract/index';
import { dispatch, dispatchToReply } from '../../main/api/rpc/dispatch';
import { canSee } from '../../main/api/rpc/event-filter';
import { handlers } from '../../main/api/rpc/handlers/index';

const PASSWORD = 'contract-admin-secret';

describe('UI contract dispatcher', () => {
  let cp: ControlPlane;
  let dir: string;
  let admin: RequestContext;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deskstack-contract-'));
    cp = await createControlPlane({ dataDir: dir, demo: true, adminPassword: PASSWORD, config: { fakeDelayScale: 0 }, logger: createLogger('silent') });
    admin = cp.identity.loginLocalAdmin();
  });
  after(async () => {
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a handler and an access level for every method', () => {
    assert.deepEqual(Object.keys(handlers).sort(), Object.keys(inputs).sort());
    assert.deepEqual(Object.keys(access).sort(), Object.keys(inputs).sort());
  });

  it('refuses unknown and hostile method names with BadRequest', async () => {
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'x'.repeat(10_000), '$(touch /tmp/x)']) {
      const err = await rejectsWith(dispatch(cp, admin, m, {}), 'BadRequest', /Unknown method/);
      assert.ok(err.message.length < 300, 'the message does not echo a huge name');
    }
  });

  it('refuses wrong types, unknown fields and oversize values with BadRequest naming the field', async () => {
    await rejectsWith(dispatch(cp, admin, 'serverGet', { id: 42 }), 'BadRequest', /id/);
    await rejectsWith(dispatch(cp, admin, 'serverGet', {}), 'BadRequest', /id/);
    await rejectsWith(dispatch(cp, admin, 'serverGet', 'a string'), 'BadRequest');
    await rejectsWith(dispatch(cp, admin, 'serverGet', [1, 2]), 'BadRequest');
    await rejectsWith(dispatch(cp, admin, 'serverList', { evil: true }), 'BadRequest', /evil|Unrecognized/i);
    await rejectsWith(dispatch(cp, admin, 'serverCreate', { name: 'x'.repeat(10_000), imageId: 'a', flavorId: 'b' }), 'BadRequest', /name/);
    await rejectsWith(dispatch(cp, admin, 'serverCreate', { name: 'ok', imageId: 'a', flavorId: 'b', count: 1000 }), 'BadRequest', /count/);
    await rejectsWith(dispatch(cp, admin, 'serverAction', { id: 'x', action: 'rm -rf' }), 'BadRequest', /action/);
    await rejectsWith(dispatch(cp, admin, 'taskList', { limit: -1 }), 'BadRequest', /limit/);
    await rejectsWith(dispatch(cp, admin, 'keypairCreate', { name: 'a\'b"c' }), 'BadRequest', /name/);
  });

  it('treats hostile but well-typed ids as not found, never as a crash', async () => {
    for (const id of ['../../etc/passwd', "a'b\"c", '$(touch /tmp/x)', '%00']) {
      await rejectsWith(dispatch(cp, admin, 'serverGet', { id }), 'NotFound');
    }
  });

  it('needs a session for user methods and admin for admin methods', async () => {
    await rejectsWith(dispatch(cp, null, 'serverList', {}), 'Unauthorized');
    const setup = (await dispatch(cp, null, 'setupStatus', {})) as { done: boolean; hostCount: number };
    assert.equal(setup.done, true, 'a seeded demo rack counts as set up');
    assert.equal(setup.hostCount, 3);
    await rejectsWith(dispatch(cp, null, 'setupStart', { adminPassword: 'another-password', mode: 'empty' }), 'Conflict', /already complete/);
    const member: RequestContext = { ...admin, isAdmin: false, roles: ['member'] };
    await rejectsWith(dispatch(cp, member, 'hostList', {}), 'Forbidden');
  });

  it('signs in with a password and refuses a wrong one with one message', async () => {
    const ok = (await dispatch(cp, null, 'authLogin', { username: 'admin', password: PASSWORD })) as { token: string; session: { projectName: string; isAdmin: boolean } };
    assert.ok(ok.token.length > 10);
    assert.equal(ok.session.projectName, 'admin');
    assert.equal(ok.session.isAdmin, true);
    await rejectsWith(dispatch(cp, null, 'authLogin', { username: 'admin', password: 'wrong' }), 'Unauthorized', /Sign-in failed/);
    await rejectsWith(dispatch(cp, null, 'authLogin', { username: 'nobody', password: 'wrong' }), 'Unauthorized', /Sign-in failed/);
  });

  it('lists the demo rack through the contract views', async () => {
    const hosts = (await dispatch(cp, admin, 'hostList', {})) as Array<{ name: string; usage: { instances: number } }>;
    assert.deepEqual(hosts.map((h) => h.name).sort(), ['demo-1', 'demo-2', 'demo-3']);
    const flavors = (await dispatch(cp, admin, 'flavorList', {})) as Array<{ name: string; ramMb: number }>;
    assert.ok(flavors.some((f) => f.name === 'm1.small' && f.ramMb === 2048));
    const images = (await dispatch(cp, admin, 'imageList', {})) as Array<{ name: string; status: string }>;
    assert.ok(images.some((i) => /cirros/.test(i.name) && i.status === 'active'));
    const nets = (await dispatch(cp, admin, 'networkList', {})) as Array<{ name: string }>;
    assert.ok(nets.some((n) => n.name === 'private'));
  });

  it('launches, stops and deletes a server, and reports the result as views', async () => {
    const images = (await dispatch(cp, admin, 'imageList', {})) as Array<{ id: string; name: string }>;
    const flavors = (await dispatch(cp, admin, 'flavorList', {})) as Array<{ id: string; name: string }>;
    const nets = (await dispatch(cp, admin, 'networkList', {})) as Array<{ id: string; name: string }>;
    const created = (await dispatch(cp, admin, 'serverCreate', {
      name: 'unit-vm',
      imageId: images.find((i) => /cirros/.test(i.name))!.id,
      flavorId: flavors.find((f) => f.name === 'm1.small')!.id,
      networkIds: [nets.find((n) => n.name === 'private')!.id],
      userData: '#cloud-config\nhostname: unit-vm\n',
    })) as Array<{ id: string; name: string; flavorName: string }>;
    assert.equal(created.length, 1);
    assert.equal(created[0].flavorName, 'm1.small');
    const id = created[0].id;
    await cp.compute.settled(id);
    const active = (await dispatch(cp, admin, 'serverGet', { id })) as { status: string; hostName: string | null; addresses: unknown[] };
    assert.equal(active.status, 'ACTIVE');
    assert.ok(active.hostName?.startsWith('demo-'));
    assert.equal(active.addresses.length, 1);
    await dispatch(cp, admin, 'serverAction', { id, action: 'stop' });
    await cp.compute.settled(id);
    assert.equal(((await dispatch(cp, admin, 'serverGet', { id })) as { status: string }).status, 'SHUTOFF');
    const actions = (await dispatch(cp, admin, 'serverActions', { id })) as Array<{ action: string }>;
    assert.deepEqual(actions.map((a) => a.action).sort(), ['create', 'stop']);
    await dispatch(cp, admin, 'serverDelete', { id });
    await cp.compute.settled(id);
    assert.deepEqual(await dispatch(cp, admin, 'serverList', { ids: [id] }), []);
  });

  it('turns every failure into an envelope in the IPC reply form', async () => {
    const bad = await dispatchToReply(cp, admin, 'serverGet', { id: 7 });
    assert.equal(bad.ok, false);
    if (!bad.ok) {
      assert.equal(bad.error.code, 'BadRequest');
      assert.ok(Array.isArray((bad.error.details as { issues: unknown[] }).issues));
    }
    const good = await dispatchToReply(cp, admin, 'session', {});
    assert.equal(good.ok, true);
  });

  it('filters pushed events by project, and keeps host events for admins', () => {
    const member: RequestContext = { ...admin, projectId: 'p-1', isAdmin: false, roles: ['member'] };
    assert.equal(canSee(member, { type: 'resource', kind: 'server', id: 's', projectId: 'p-1', action: 'updated' }), true);
    assert.equal(canSee(member, { type: 'resource', kind: 'server', id: 's', projectId: 'p-2', action: 'updated' }), false);
    assert.equal(canSee(member, { type: 'resource', kind: 'flavor', id: 'f', projectId: null, action: 'created' }), true);
    assert.equal(canSee(member, { type: 'resource', kind: 'host', id: 'h', projectId: null, action: 'updated' }), false);
    assert.equal(canSee(member, { type: 'host.health', hostId: 'h', state: 'down' }), false);
    assert.equal(canSee(member, { type: 'task.log', taskId: 't', projectId: 'p-2', at: '', level: 'info', line: 'secret' }), false);
    assert.equal(canSee(admin, { type: 'host.health', hostId: 'h', state: 'down' }), true);
  });
});
