import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delegatorOf } from '../../main/identity/app-credential-manager';
import { DeskError } from '../../main/core/errors';
import { makeEnv, type Env } from './identity-helpers';

const isCode = (code: string, msg?: RegExp) => (e: unknown) => e instanceof DeskError && e.code === code && (!msg || msg.test(e.message));
const pwAuth = (name: string, password: string, project?: string) => ({
  methods: ['password'],
  password: { user: { name, domain: { id: 'default' }, password } },
  scope: project ? { project: { name: project, domain: { id: 'default' } } } : ('unscoped' as const),
});

/** A project with a user holding member (and the role given) there; returns the user's project token. */
async function userOn(env: Env, name: string, extraRole?: string) {
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  const p = id.createProject(admin, { name: `${name}-p` });
  const u = await id.createUser(admin, { name, password: `${name}-pw` });
  id.assignRole(admin, { userId: u.id, projectId: p.id, roleId: id.roleByName('member')!.id });
  if (extraRole) id.assignRole(admin, { userId: u.id, projectId: p.id, roleId: id.createRole(admin, { name: extraRole }).id });
  const t = await id.issueToken(pwAuth(name, `${name}-pw`, `${name}-p`));
  return { user: u, project: p, token: t, ctx: id.validateToken(t.token).context };
}

test('application credentials: secret shown once and stored hashed; authenticate by id or by name; subset of roles', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const { user, project, token, ctx } = await userOn(env, 'app', 'deployer');
  const deployer = id.roleByName('deployer')!;
  const { cred, secret } = await id.appCredentials.create(ctx, delegatorOf(token.data), user.id, { name: 'ci', roles: [{ name: 'deployer' }] });
  assert.equal(cred.projectId, project.id);
  assert.deepEqual(cred.roleIds, [deployer.id]);
  assert.ok(secret.length >= 64);
  const stored = env.db.prepare('SELECT secret_hash FROM application_credentials').pluck().get() as string;
  assert.match(stored, /^scrypt\$/);
  assert.ok(!stored.includes(secret));

  const byId = await id.issueToken({ methods: ['application_credential'], applicationCredential: { id: cred.id, secret } });
  assert.deepEqual([byId.data.project?.id, byId.data.roles.map((r) => r.name), byId.data.applicationCredential], [project.id, ['deployer'], { id: cred.id, name: 'ci', restricted: true, accessRules: [] }]);
  const byName = await id.issueToken({ methods: ['application_credential'], applicationCredential: { name: 'ci', user: { name: 'app', domain: { id: 'default' } }, secret } });
  assert.equal(byName.data.user.id, user.id);
  await assert.rejects(id.issueToken({ methods: ['application_credential'], applicationCredential: { id: cred.id, secret: 'wrong' } }), isCode('Unauthorized'));
  await assert.rejects(id.issueToken({ methods: ['application_credential'], applicationCredential: { id: cred.id, secret }, scope: 'unscoped' }), isCode('Unauthorized'));

  // A restricted credential's token cannot make more credentials, nor be rescoped.
  const restricted = id.validateToken(byId.token);
  await assert.rejects(id.appCredentials.create(restricted.context, delegatorOf(restricted.data), user.id, { name: 'more' }), isCode('Forbidden'));
  await assert.rejects(id.issueToken({ methods: ['token'], token: { id: byId.token }, scope: { project: { id: project.id } } }), isCode('Forbidden'));
  // Roles it was not given cannot be asked for; losing the role on the project ends its tokens.
  await assert.rejects(id.appCredentials.create(ctx, delegatorOf(token.data), user.id, { name: 'x', roles: [{ name: 'admin' }] }), isCode('Forbidden'));
  id.unassignRole(id.loginLocalAdmin(), { userId: user.id, projectId: project.id, roleId: deployer.id });
  assert.throws(() => id.validateToken(byId.token), isCode('Unauthorized'));
  await assert.rejects(id.issueToken({ methods: ['application_credential'], applicationCredential: { id: cred.id, secret } }), isCode('Unauthorized'));
  // Deleting it is for its user (or an admin); names are unique per user.
  await assert.rejects(id.appCredentials.create(ctx, delegatorOf(token.data), user.id, { name: 'ci' }), isCode('Conflict'));
  id.appCredentials.delete(ctx, delegatorOf(token.data), user.id, cred.id);
  assert.deepEqual(id.appCredentials.list(ctx, user.id), []);
  env.close();
});

test('application credentials expire, with microseconds kept as given; the token ends no later', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const { user, token, ctx } = await userOn(env, 'exp');
  const at = new Date(env.clock.t + 600_000).toISOString().replace('Z', '123');
  const { cred, secret } = await id.appCredentials.create(ctx, delegatorOf(token.data), user.id, { name: 'short', expiresAt: at });
  assert.equal(cred.expiresAt, at.replace(/\.(\d{3})123$/, '.$1123Z'));
  const t = await id.issueToken({ methods: ['application_credential'], applicationCredential: { id: cred.id, secret } });
  assert.equal(Date.parse(t.data.expiresAt), Date.parse(at + 'Z'), 'capped at the credential’s expiry');
  env.clock.t += 600_001;
  await assert.rejects(id.issueToken({ methods: ['application_credential'], applicationCredential: { id: cred.id, secret } }), isCode('Unauthorized'));
  await assert.rejects(id.appCredentials.create(ctx, delegatorOf(token.data), user.id, { name: 'bad', expiresAt: 'bad.123Z' }), isCode('BadRequest'));
  env.close();
});

test('trusts: the trustee acts as the trustor (impersonation) with the delegated roles only, while the trustor still holds them', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const trustor = await userOn(env, 'tor', 'delegated');
  const trustee = await userOn(env, 'tee');
  const role = id.roleByName('delegated')!;
  const by = delegatorOf(trustor.token.data);
  assert.throws(
    () => id.trusts.create(trustee.ctx, delegatorOf(trustee.token.data), { trustorUserId: trustor.user.id, trusteeUserId: trustee.user.id, projectId: trustor.project.id, impersonation: true, roles: [{ name: 'delegated' }] }),
    isCode('Forbidden', /trustor/),
  );
  assert.throws(
    () => id.trusts.create(trustor.ctx, by, { trustorUserId: trustor.user.id, trusteeUserId: trustee.user.id, projectId: trustor.project.id, impersonation: true, roles: [{ name: 'admin' }] }),
    isCode('Forbidden', /does not hold/),
  );
  const trust = id.trusts.create(trustor.ctx, by, { trustorUserId: trustor.user.id, trusteeUserId: trustee.user.id, projectId: trustor.project.id, impersonation: true, roles: [{ name: 'delegated' }], remainingUses: 2 });
  const scoped = { methods: ['password'], password: { user: { name: 'tee', domain: { id: 'default' }, password: 'tee-pw' } }, scope: { trust: trust.id } };
  const t = await id.issueToken(scoped);
  assert.deepEqual([t.data.user.id, t.data.project?.id, t.data.roles.map((r) => r.name)], [trustor.user.id, trustor.project.id, ['delegated']]);
  assert.deepEqual(t.data.trust, { id: trust.id, impersonation: true, trustorUserId: trustor.user.id, trusteeUserId: trustee.user.id });
  await assert.rejects(id.issueToken({ ...scoped, password: { user: { name: 'tor', domain: { id: 'default' }, password: 'tor-pw' } } }), isCode('Forbidden', /trustee/));
  await assert.rejects(id.issueToken({ methods: ['token'], token: { id: t.token }, scope: { project: { id: trustor.project.id } } }), isCode('Forbidden', /rescoped/));
  assert.throws(() => id.trusts.create(id.validateToken(t.token).context, delegatorOf(t.data), { trustorUserId: trustor.user.id, trusteeUserId: trustee.user.id, impersonation: false }), isCode('Forbidden'));
  await id.issueToken(scoped);
  await assert.rejects(id.issueToken(scoped), isCode('Unauthorized'), 'two uses, then none left');
  // The trustor losing the role ends the trust's tokens; deleting the trust too.
  id.unassignRole(id.loginLocalAdmin(), { userId: trustor.user.id, projectId: trustor.project.id, roleId: role.id });
  assert.throws(() => id.validateToken(t.token), isCode('Unauthorized'));
  assert.deepEqual(id.trusts.list(trustee.ctx, { trusteeUserId: trustee.user.id }).map((x) => x.id), [trust.id]);
  assert.throws(() => id.trusts.list(trustee.ctx), isCode('Forbidden'));
  assert.throws(() => id.trusts.delete(trustee.ctx, trust.id), isCode('Forbidden'));
  id.trusts.delete(trustor.ctx, trust.id);
  assert.throws(() => id.trusts.get(trustor.ctx, trust.id), isCode('NotFound'));
  env.close();
});

test('a trust without impersonation gives the trustee their own identity; an expired trust gives nothing', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const trustor = await userOn(env, 'tor2');
  const trustee = await userOn(env, 'tee2');
  const expires = new Date(env.clock.t + 60_000).toISOString();
  const trust = id.trusts.create(trustor.ctx, delegatorOf(trustor.token.data), {
    trustorUserId: trustor.user.id,
    trusteeUserId: trustee.user.id,
    projectId: trustor.project.id,
    impersonation: false,
    roles: [{ name: 'member' }],
    expiresAt: expires,
  });
  assert.equal(trust.expiresAt, expires.replace(/\.(\d{3})Z$/, '.$1000Z'));
  const t = await id.issueToken({ methods: ['token'], token: { id: trustee.token.token }, scope: { trust: trust.id } });
  assert.deepEqual([t.data.user.id, t.data.roles.map((r) => r.name).sort()], [trustee.user.id, ['member', 'reader']]);
  assert.equal(Date.parse(t.data.expiresAt) <= Date.parse(expires), true);
  env.clock.t += 60_000;
  assert.throws(() => id.validateToken(t.token), isCode('Unauthorized'));
  await assert.rejects(id.issueToken({ methods: ['password'], password: { user: { name: 'tee2', domain: { id: 'default' }, password: 'tee2-pw' } }, scope: { trust: trust.id } }), isCode('Unauthorized'));
  env.close();
});

test('access rules: a credential’s tokens serve only matching calls; a rule in use stays until its credential goes', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const { user, token, ctx } = await userOn(env, 'rules');
  const rules = [{ service: 'compute', method: 'GET', path: '/v2.1/servers/*/ips' }, { service: 'image', method: 'GET', path: '/v2/**' }];
  const { cred, secret } = await id.appCredentials.create(ctx, delegatorOf(token.data), user.id, { name: 'ro', accessRules: rules });
  assert.deepEqual(cred.accessRules.map(({ id: _id, ...r }) => r), rules);
  const t = await id.issueToken({ methods: ['application_credential'], applicationCredential: { id: cred.id, secret } });
  const use = (method: string, url: string) => () => id.validateToken(t.token, { request: { method, url } });
  assert.doesNotThrow(use('GET', '/compute/v2.1/servers/abc/ips?x=1'));
  assert.doesNotThrow(use('GET', '/image/v2/images/a/file'));
  assert.throws(use('GET', '/compute/v2.1/servers/abc/ips/extra'), isCode('Unauthorized'));
  assert.throws(use('DELETE', '/compute/v2.1/servers/abc/ips'), isCode('Unauthorized'));
  assert.throws(use('GET', '/identity/v3/projects'), isCode('Unauthorized'));
  assert.throws(() => id.validateToken(t.token), isCode('Unauthorized'), 'no request named, no use');
  assert.equal(id.validateToken(t.token, { request: 'inspect' }).data.applicationCredential?.accessRules.length, 2);
  // A second credential with the same rule shares it; a rule in use cannot be deleted.
  const again = await id.appCredentials.create(ctx, delegatorOf(token.data), user.id, { name: 'ro2', accessRules: [rules[0]] });
  assert.equal(again.cred.accessRules[0].id, cred.accessRules[0].id);
  assert.equal(id.appCredentials.listAccessRules(ctx, user.id).length, 2);
  assert.throws(() => id.appCredentials.deleteAccessRule(ctx, user.id, cred.accessRules[1].id), isCode('Forbidden'));
  id.appCredentials.delete(ctx, delegatorOf(token.data), user.id, cred.id);
  id.appCredentials.deleteAccessRule(ctx, user.id, cred.accessRules[1].id);
  assert.throws(() => id.appCredentials.deleteAccessRule(ctx, user.id, cred.accessRules[0].id), isCode('Forbidden'), 'still used by ro2');
  assert.equal(id.appCredentials.listAccessRules(ctx, user.id).length, 1);
  env.close();
});

test('the UI delegates with its session’s roles: an application credential made without a token', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const { user, project } = await userOn(env, 'ui');
  const ctx = id.contextFor(user.id, project.id);
  const by = id.delegatorFor(ctx);
  assert.deepEqual(by.roles.map((r) => r.name).sort(), ['member', 'reader']);
  const { cred, secret } = await id.appCredentials.create(ctx, by, user.id, { name: 'from-ui' });
  const t = await id.issueToken({ methods: ['application_credential'], applicationCredential: { id: cred.id, secret } });
  assert.deepEqual(t.data.roles.map((r) => r.name).sort(), ['member', 'reader']);
  assert.ok(env.events.some((e) => e.type === 'resource' && e.kind === 'application_credential' && e.action === 'created'));
  env.close();
});
