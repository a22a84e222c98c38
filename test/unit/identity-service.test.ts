import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeskError } from '../../main/core/errors';
import { buildCatalog, builtinEndpoints, builtinServices } from '../../main/identity/catalog';
import { byPassword, makeEnv, PW } from './identity-helpers';

const isCode = (code: string, msg?: RegExp) => (e: unknown) => e instanceof DeskError && e.code === code && (!msg || msg.test(e.message));

test('bootstrap is idempotent and generates a strong password only on the first start', async () => {
  const env = await makeEnv();
  // makeEnv bootstrapped with a given password; a fresh database without one gets a generated password.
  const count = (t: string) => env.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get();
  assert.equal((await env.identity.bootstrap({})).generatedPassword, null);
  assert.deepEqual([count('domains'), count('roles'), count('projects'), count('users'), count('assignments'), count('implied_roles')], [1, 3, 1, 1, 1, 2]);
  env.db.exec('DELETE FROM users; DELETE FROM settings');
  const first = await env.identity.bootstrap({});
  assert.ok(first.generatedPassword && first.generatedPassword.length >= 20);
  assert.equal((await env.identity.bootstrap({})).generatedPassword, null);
  assert.equal(count('users'), 1);
  const { data } = await env.identity.issueToken(byPassword('admin', first.generatedPassword!, 'admin'));
  assert.deepEqual(data.roles.map((r) => r.name).sort(), ['admin', 'member', 'reader']);
  assert.deepEqual(env.identity.listDomains(env.identity.loginLocalAdmin()).map((d) => [d.id, d.name]), [['default', 'Default']]);
  env.close();
});

test('passwords are stored as salted scrypt hashes, never in plain text', async () => {
  const env = await makeEnv();
  const hash = env.db.prepare("SELECT password_hash FROM users WHERE name = 'admin'").pluck().get() as string;
  assert.match(hash, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.ok(!hash.includes(PW));
  const admin = env.identity.loginLocalAdmin();
  await env.identity.createUser(admin, { name: 'twin', password: PW });
  const twin = env.db.prepare("SELECT password_hash FROM users WHERE name = 'twin'").pluck().get() as string;
  assert.notEqual(twin, hash, 'same password, different salt');
  env.close();
});

test('login: good password works; bad password, unknown user and disabled user get the same 401', async () => {
  const env = await makeEnv();
  const admin = env.identity.loginLocalAdmin();
  const ok = await env.identity.issueToken(byPassword('admin', PW, 'admin'));
  assert.equal(ok.data.project?.name, 'admin');
  assert.equal(env.identity.validateToken(ok.token).context.isAdmin, true);
  const msg = /^The request you have made requires authentication\.$/;
  await assert.rejects(env.identity.issueToken(byPassword('admin', 'wrong', 'admin')), isCode('Unauthorized', msg));
  await assert.rejects(env.identity.issueToken(byPassword('nobody', PW, 'admin')), isCode('Unauthorized', msg));
  const p = env.identity.createProject(admin, { name: 'p1' });
  const u = await env.identity.createUser(admin, { name: 'carol', password: 'pw-carol', defaultProjectId: p.id });
  env.identity.assignRole(admin, { userId: u.id, projectId: p.id, roleId: env.identity.roleByName('member')!.id });
  const carol = await env.identity.issueToken(byPassword('carol', 'pw-carol', 'p1'));
  await env.identity.updateUser(admin, u.id, { enabled: false });
  await assert.rejects(env.identity.issueToken(byPassword('carol', 'pw-carol', 'p1')), isCode('Unauthorized', msg));
  assert.throws(() => env.identity.validateToken(carol.token), isCode('Unauthorized'), 'disabling a user ends its tokens');
  // A disabled project cannot be scoped to either.
  await env.identity.updateUser(admin, u.id, { enabled: true });
  env.identity.updateProject(admin, p.id, { enabled: false });
  await assert.rejects(env.identity.issueToken(byPassword('carol', 'pw-carol', 'p1')), isCode('Unauthorized'));
  env.close();
});

test('project isolation: a member of project A sees only A and only themselves, and cannot manage identity', async () => {
  const env = await makeEnv();
  const admin = env.identity.loginLocalAdmin();
  const a = env.identity.createProject(admin, { name: 'A' });
  const b = env.identity.createProject(admin, { name: 'B' });
  const dave = await env.identity.createUser(admin, { name: 'dave', password: 'pw-dave' });
  env.identity.assignRole(admin, { userId: dave.id, projectId: a.id, roleId: env.identity.roleByName('member')!.id });
  const { context } = env.identity.validateToken((await env.identity.issueToken(byPassword('dave', 'pw-dave', 'A'))).token);
  assert.equal(context.isAdmin, false);
  assert.deepEqual(context.roles.sort(), ['member', 'reader']);
  assert.throws(() => env.identity.listProjects(context), isCode('Forbidden', /identity:list_projects/));
  assert.deepEqual(env.identity.listProjectsForUser(context.userId).map((p) => p.name), ['A']);
  assert.equal(env.identity.getProject(context, a.id).name, 'A');
  assert.throws(() => env.identity.getProject(context, b.id), isCode('Forbidden', /identity:get_project/));
  assert.throws(() => env.identity.getProject(context, 'missing'), isCode('NotFound', /Could not find project: missing/));
  assert.deepEqual(env.identity.listUsers(context).map((u) => u.name), ['dave']);
  assert.throws(() => env.identity.getUser(context, admin.userId), isCode('Forbidden'));
  await assert.rejects(env.identity.createUser(context, { name: 'eve', password: 'x' }), isCode('Forbidden', /identity:create_user/));
  assert.throws(() => env.identity.createProject(context, { name: 'C' }), isCode('Forbidden'));
  assert.throws(() => env.identity.assignRole(context, { userId: dave.id, projectId: b.id, roleId: env.identity.roleByName('admin')!.id }), isCode('Forbidden'));
  assert.deepEqual(env.identity.listRoleAssignments(context).map((x) => x.projectId), [a.id]);
  env.close();
});

test('names follow Keystone limits; duplicates conflict; hostile characters are plain text', async () => {
  const env = await makeEnv();
  const admin = env.identity.loginLocalAdmin();
  assert.throws(() => env.identity.createProject(admin, { name: 'x'.repeat(10_000) }), isCode('BadRequest', /at most 64/));
  assert.throws(() => env.identity.createProject(admin, { name: '   ' }), isCode('BadRequest'));
  await assert.rejects(env.identity.createUser(admin, { name: 'u'.repeat(256) }), isCode('BadRequest', /at most 255/));
  for (const name of ['$(touch /tmp/x)', `a'b"c`, '../../etc', 'Robert"); DROP TABLE users;--']) {
    const p = env.identity.createProject(admin, { name });
    assert.equal(env.identity.getProject(admin, p.id).name, name);
  }
  assert.throws(() => env.identity.createProject(admin, { name: 'admin' }), isCode('Conflict', /Duplicate entry found with name admin/));
  assert.throws(() => env.identity.deleteProject(admin, env.identity.adminIds().projectId!), isCode('Forbidden'));
  assert.throws(() => env.identity.deleteUser(admin, admin.userId), isCode('Forbidden'));
  env.close();
});

test('changes are announced on the event bus', async () => {
  const env = await makeEnv();
  const admin = env.identity.loginLocalAdmin();
  const p = env.identity.createProject(admin, { name: 'evt' });
  env.identity.updateProject(admin, p.id, { description: 'd' });
  const u = await env.identity.createUser(admin, { name: 'evu', defaultProjectId: p.id });
  env.identity.deleteUser(admin, u.id);
  env.identity.deleteProject(admin, p.id);
  const seen = env.events.flatMap((e) => (e.type === 'resource' ? [`${e.kind}:${e.action}`] : []));
  assert.deepEqual(seen, ['project:created', 'project:updated', 'user:created', 'user:deleted', 'project:deleted']);
  env.close();
});

test('catalog lists the four services with three interfaces each and stable endpoint ids', async () => {
  const one = buildCatalog(builtinServices(), builtinEndpoints('http://10.0.0.1:5000/'), null);
  const two = buildCatalog(builtinServices(), builtinEndpoints('http://other:1'), null);
  assert.deepEqual(one.map((c) => [c.type, c.name]), [['identity', 'keystone'], ['compute', 'nova'], ['image', 'glance'], ['network', 'neutron']]);
  assert.equal(one[1].endpoints.find((e) => e.interface === 'public')?.url, 'http://10.0.0.1:5000/compute/v2.1');
  for (const c of one) {
    assert.deepEqual(c.endpoints.map((e) => [e.interface, e.region, e.region_id]), ['public', 'internal', 'admin'].map((i) => [i, 'RegionOne', 'RegionOne']));
  }
  assert.deepEqual(one.map((c) => c.endpoints.map((e) => e.id)), two.map((c) => c.endpoints.map((e) => e.id)));
});

test('contextFor and loginLocalAdmin give the UI a working context; lookups name things', async () => {
  const env = await makeEnv();
  const admin = env.identity.loginLocalAdmin();
  assert.equal(admin.userName, 'admin');
  assert.equal(admin.projectName, 'admin');
  assert.equal(admin.isAdmin, true);
  assert.match(admin.requestId, /^req-[0-9a-f-]{36}$/);
  const p = env.identity.createProject(admin, { name: 'ui' });
  const u = await env.identity.createUser(admin, { name: 'uiuser', password: 'x' });
  assert.throws(() => env.identity.contextFor(u.id, p.id), isCode('Unauthorized'), 'no role, no context');
  env.identity.assignRole(admin, { userId: u.id, projectId: p.id, roleId: env.identity.roleByName('reader')!.id });
  const ctx = env.identity.contextFor(u.id, p.id);
  assert.deepEqual([ctx.projectName, ctx.roles, ctx.isAdmin], ['ui', ['reader'], false]);
  assert.equal(env.identity.projectName(p.id), 'ui');
  assert.equal(env.identity.userName(u.id), 'uiuser');
  assert.equal(env.identity.projectName('nope'), null);
  assert.deepEqual(env.identity.listProjectsForUser(u.id).map((x) => x.name), ['ui']);
  env.close();
});
