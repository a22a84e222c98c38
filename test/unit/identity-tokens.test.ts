import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DeskError } from '../../main/core/errors';
import { byPassword, makeEnv, PW } from './identity-helpers';

const unauthorized = (e: unknown) => e instanceof DeskError && e.code === 'Unauthorized';

test('tokens are long random strings; only their sha256 is stored', async () => {
  const env = await makeEnv();
  const a = await env.identity.issueToken(byPassword('admin', PW, 'admin'));
  const b = await env.identity.issueToken(byPassword('admin', PW, 'admin'));
  assert.notEqual(a.token, b.token);
  assert.match(a.token, /^gAAAAA[\w-]{64}$/);
  const stored = env.db.prepare('SELECT token_hash FROM tokens').pluck().all() as string[];
  assert.ok(stored.includes(createHash('sha256').update(a.token).digest('hex')));
  assert.ok(!stored.some((h) => h.includes(a.token)));
  assert.equal(a.data.auditIds.length, 1);
  assert.equal(Date.parse(a.data.expiresAt) - Date.parse(a.data.issuedAt), 3600 * 1000);
  env.close();
});

test('a token stops working when it expires (clock moved, no sleeping)', async () => {
  const env = await makeEnv(60);
  const { token } = await env.identity.issueToken(byPassword('admin', PW, 'admin'));
  env.clock.t += 59_000;
  assert.equal(env.identity.validateToken(token).context.userName, 'admin');
  env.clock.t += 1_000;
  assert.throws(() => env.identity.validateToken(token), unauthorized);
  await assert.rejects(env.identity.issueToken({ methods: ['token'], token: { id: token }, scope: { project: { name: 'admin', domain: { id: 'default' } } } }), unauthorized);
  env.close();
});

test('revocation ends a token at once, also when it was cached', async () => {
  const env = await makeEnv();
  const { token } = await env.identity.issueToken(byPassword('admin', PW, 'admin'));
  env.identity.validateToken(token); // now cached
  env.identity.revokeToken(token);
  assert.throws(() => env.identity.validateToken(token), unauthorized);
  assert.throws(() => env.identity.revokeToken(token), (e: unknown) => e instanceof DeskError && e.code === 'NotFound');
  assert.throws(() => env.identity.validateToken('gAAAAAforged-token-that-was-never-issued'), unauthorized);
  assert.throws(() => env.identity.validateToken(''), unauthorized);
  env.close();
});

test('unscoped tokens work only where allowed, and rescope to a project with the token method', async () => {
  const env = await makeEnv();
  const admin = env.identity.loginLocalAdmin();
  // Explicitly unscoped, even though admin has a default project.
  const u = await env.identity.issueToken(byPassword('admin', PW, 'unscoped'));
  assert.equal(u.data.project, null);
  assert.deepEqual(u.data.roles, []);
  assert.throws(() => env.identity.validateToken(u.token), unauthorized);
  assert.equal(env.identity.validateToken(u.token, { allowUnscoped: true }).context.projectId, '');
  env.clock.t += 10_000;
  const p = env.identity.createProject(admin, { name: 'second' });
  env.identity.assignRole(admin, { userId: admin.userId, projectId: p.id, roleId: env.identity.roleByName('member')!.id });
  const r = await env.identity.issueToken({ methods: ['token'], token: { id: u.token }, scope: { project: { id: p.id } } });
  assert.equal(r.data.project?.name, 'second');
  assert.deepEqual(r.data.roles.map((x) => x.name), ['member', 'reader']);
  assert.deepEqual([...r.data.methods].sort(), ['password', 'token']);
  assert.deepEqual(r.data.auditIds.slice(1), u.data.auditIds, 'audit chain names the parent');
  assert.equal(r.data.expiresAt, u.data.expiresAt, 'a rescoped token ends with its parent');
  assert.equal(env.identity.validateToken(r.token).context.isAdmin, false);
  // A project the user has no role on cannot be scoped to.
  const other = env.identity.createProject(admin, { name: 'other' });
  await assert.rejects(env.identity.issueToken({ methods: ['token'], token: { id: u.token }, scope: { project: { id: other.id } } }), unauthorized);
  env.close();
});

test('without a scope the default project is used, like Keystone', async () => {
  const env = await makeEnv();
  const admin = env.identity.loginLocalAdmin();
  const t = await env.identity.issueToken(byPassword('admin', PW));
  assert.equal(t.data.project?.name, 'admin');
  const p = env.identity.createProject(admin, { name: 'home' });
  await env.identity.createUser(admin, { name: 'nodefault', password: 'pw' });
  const nd = await env.identity.issueToken(byPassword('nodefault', 'pw'));
  assert.equal(nd.data.project, null);
  // A default project without a role gives an unscoped token rather than a failure.
  const u = await env.identity.createUser(admin, { name: 'norole', password: 'pw', defaultProjectId: p.id });
  assert.equal((await env.identity.issueToken(byPassword('norole', 'pw'))).data.project, null);
  env.identity.assignRole(admin, { userId: u.id, projectId: p.id, roleId: env.identity.roleByName('reader')!.id });
  assert.equal((await env.identity.issueToken({ methods: ['password'], password: { user: { id: u.id, password: 'pw' } } })).data.project?.name, 'home');
  env.close();
});

test('removing a role or changing a password takes effect on the next request', async () => {
  const env = await makeEnv();
  const admin = env.identity.loginLocalAdmin();
  const p = env.identity.createProject(admin, { name: 'rp' });
  const u = await env.identity.createUser(admin, { name: 'frank', password: 'pw1' });
  const member = env.identity.roleByName('member')!.id;
  env.identity.assignRole(admin, { userId: u.id, projectId: p.id, roleId: member });
  const t1 = await env.identity.issueToken(byPassword('frank', 'pw1', 'rp'));
  assert.ok(env.identity.validateToken(t1.token));
  env.identity.unassignRole(admin, { userId: u.id, projectId: p.id, roleId: member });
  assert.throws(() => env.identity.validateToken(t1.token), unauthorized);
  env.identity.assignRole(admin, { userId: u.id, projectId: p.id, roleId: member });
  const t2 = await env.identity.issueToken(byPassword('frank', 'pw1', 'rp'));
  await env.identity.changePassword(u.id, 'pw1', 'pw2');
  assert.throws(() => env.identity.validateToken(t2.token), unauthorized);
  await assert.rejects(env.identity.issueToken(byPassword('frank', 'pw1', 'rp')), unauthorized);
  assert.ok((await env.identity.issueToken(byPassword('frank', 'pw2', 'rp'))).token);
  await assert.rejects(env.identity.changePassword(u.id, 'wrong', 'pw3'), unauthorized);
  env.close();
});

test('bad auth requests: unknown method is 401, missing pieces are 400', async () => {
  const env = await makeEnv();
  const bad = (e: unknown) => e instanceof DeskError && e.code === 'BadRequest';
  await assert.rejects(env.identity.issueToken({ methods: ['totp'] }), unauthorized);
  await assert.rejects(env.identity.issueToken({ methods: ['password'] }), bad);
  await assert.rejects(env.identity.issueToken({ methods: ['password'], password: { user: { name: 'admin', password: PW } } }), /Expecting to find domain in user/);
  await assert.rejects(env.identity.issueToken({ methods: ['password'], password: { user: { password: PW } } }), /Expecting to find id or name in user/);
  await assert.rejects(env.identity.issueToken({ ...byPassword('admin', PW), scope: { project: { name: 'admin' } } }), /Expecting to find domain in project/);
  env.close();
});
