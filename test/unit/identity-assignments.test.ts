import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeskError } from '../../main/core/errors';
import { makeEnv } from './identity-helpers';

const isCode = (code: string, msg?: RegExp) => (e: unknown) => e instanceof DeskError && e.code === code && (!msg || msg.test(e.message));
const pw = (name: string, password: string, scope?: { project: string; domain: string } | { domain: string }) => ({
  methods: ['password'],
  password: { user: { name, domain: { name: scope && 'project' in scope ? scope.domain : (scope?.domain ?? 'Default') }, password } },
  scope: scope === undefined ? ('unscoped' as const) : 'project' in scope ? { project: { name: scope.project, domain: { name: scope.domain } } } : { domain: { name: scope.domain } },
});

test('a group role reaches every member, and leaves with the membership or the group', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  const p = id.createProject(admin, { name: 'web' });
  const u = await id.createUser(admin, { name: 'gus', password: 'gus-pw' });
  const g = id.groups.create(admin, { name: 'ops' });
  const member = id.roleByName('member')!;
  id.grants.grant(admin, { groupId: g.id, projectId: p.id, roleId: member.id });
  await assert.rejects(id.issueToken(pw('gus', 'gus-pw', { project: 'web', domain: 'Default' })), isCode('Unauthorized'));
  id.groups.addMember(admin, g.id, u.id);
  const t = await id.issueToken(pw('gus', 'gus-pw', { project: 'web', domain: 'Default' }));
  assert.deepEqual(t.data.roles.map((r) => r.name).sort(), ['member', 'reader']);
  assert.deepEqual(id.listProjectsForUser(u.id).map((x) => x.name), ['web']);
  // A direct check is about the user's own assignment, not the group's.
  assert.equal(id.grants.check(admin, { userId: u.id, projectId: p.id, roleId: member.id }), false);
  assert.equal(id.grants.check(admin, { groupId: g.id, projectId: p.id, roleId: member.id }), true);
  const eff = id.grants.list(admin, { userId: u.id, projectId: p.id, effective: true }).map((a) => id.findRole(a.roleId)!.name).sort();
  assert.deepEqual(eff, ['member', 'reader']);
  id.groups.removeMember(admin, g.id, u.id);
  assert.throws(() => id.validateToken(t.token), isCode('Unauthorized'), 'leaving the group ends the token');
  id.groups.addMember(admin, g.id, u.id);
  const t2 = await id.issueToken(pw('gus', 'gus-pw', { project: 'web', domain: 'Default' }));
  id.groups.delete(admin, g.id);
  assert.throws(() => id.validateToken(t2.token), isCode('Unauthorized'), 'deleting the group ends the token');
  assert.equal(env.db.prepare('SELECT count(*) FROM assignments WHERE group_id IS NOT NULL').pluck().get(), 0);
  env.close();
});

test('inherited assignments reach the projects below a domain or a project, not the target itself', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  const d = id.domains.create(admin, { name: 'acme' });
  const root = id.createProject(admin, { name: 'root', domainId: d.id });
  const leaf = id.createProject(admin, { name: 'leaf', parentId: root.id });
  assert.deepEqual([leaf.domainId, leaf.parentId], [d.id, root.id], 'a child lives in its parent’s domain');
  const u = await id.createUser(admin, { name: 'ivy', password: 'ivy-pw', domainId: d.id });
  const role = id.createRole(admin, { name: 'auditor' });
  const where = (projectId: string) => id.grants.list(admin, { userId: u.id, projectId, effective: true }).map((a) => a.roleId);

  id.grants.grant(admin, { userId: u.id, projectId: root.id, roleId: role.id, inherited: true });
  assert.deepEqual([where(root.id), where(leaf.id)], [[], [role.id]]);
  const t = await id.issueToken(pw('ivy', 'ivy-pw', { project: 'leaf', domain: 'acme' }));
  assert.deepEqual(t.data.roles.map((r) => r.name), ['auditor']);
  id.grants.revoke(admin, { userId: u.id, projectId: root.id, roleId: role.id, inherited: true });
  assert.throws(() => id.validateToken(t.token), isCode('Unauthorized'));

  id.grants.grant(admin, { userId: u.id, domainId: d.id, roleId: role.id, inherited: true });
  assert.deepEqual([where(root.id), where(leaf.id)], [[role.id], [role.id]]);
  await assert.rejects(id.issueToken(pw('ivy', 'ivy-pw', { domain: 'acme' })), isCode('Unauthorized'), 'an inherited role gives no domain scope');
  id.grants.grant(admin, { userId: u.id, domainId: d.id, roleId: role.id });
  const dt = await id.issueToken(pw('ivy', 'ivy-pw', { domain: 'acme' }));
  assert.deepEqual([dt.data.domain?.name, dt.data.project, dt.data.roles.map((r) => r.name)], ['acme', null, ['auditor']]);
  assert.deepEqual(id.listDomainsForUser(u.id).map((x) => x.name), ['acme']);
  env.close();
});

test('inference rules: implied roles join tokens; domain roles only ever imply; no cycles; global never implies domain', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  const d = id.domains.create(admin, { name: 'd1' });
  const p = id.createProject(admin, { name: 'p', domainId: d.id });
  const u = await id.createUser(admin, { name: 'jo', password: 'jo-pw', domainId: d.id });
  const [a, b] = [id.createRole(admin, { name: 'a' }), id.createRole(admin, { name: 'b' })];
  const dr = id.createRole(admin, { name: 'a', domainId: d.id });
  assert.equal(dr.domainId, d.id, 'a domain role may share a global role’s name');
  id.roles.addRule(admin, a.id, b.id);
  assert.throws(() => id.roles.addRule(admin, b.id, a.id), isCode('Conflict', /cycle/));
  assert.throws(() => id.roles.addRule(admin, a.id, dr.id), isCode('Forbidden'));
  id.roles.addRule(admin, dr.id, a.id);
  id.grants.grant(admin, { userId: u.id, projectId: p.id, roleId: dr.id });
  const t = await id.issueToken(pw('jo', 'jo-pw', { project: 'p', domain: 'd1' }));
  assert.deepEqual(t.data.roles.map((r) => r.name).sort(), ['a', 'b'], 'the domain role itself stays out of the token');
  id.roles.removeRule(admin, a.id, b.id);
  assert.deepEqual(id.validateToken(t.token).data.roles.map((r) => r.name), ['a']);
  assert.deepEqual(id.roles.implies(admin, dr.id).map((r) => r.id), [a.id]);
  // The bootstrap hierarchy is data: admin implies member implies reader.
  const rules = id.roles.allRules(admin).map((r) => [r.prior.name, r.implies.map((x) => x.name)]);
  assert.ok(rules.some(([p1, i]) => p1 === 'admin' && (i as string[]).includes('member')));
  env.close();
});

test('domains: disable before delete; deletion takes projects (leaves first), users, groups and domain roles', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  const d = id.domains.create(admin, { name: 'gone', description: 'x' });
  const root = id.createProject(admin, { name: 'r', domainId: d.id });
  id.createProject(admin, { name: 'c', parentId: root.id });
  const u = await id.createUser(admin, { name: 'kim', password: 'kim-pw', domainId: d.id });
  id.groups.create(admin, { name: 'g', domainId: d.id });
  id.createRole(admin, { name: 'local', domainId: d.id });
  id.grants.grant(admin, { userId: u.id, projectId: root.id, roleId: id.roleByName('member')!.id });
  const t = await id.issueToken(pw('kim', 'kim-pw', { project: 'r', domain: 'gone' }));
  assert.throws(() => id.domains.delete(admin, d.id), isCode('Forbidden', /disable it first/));
  assert.throws(() => id.deleteProject(admin, root.id), isCode('Forbidden', /child projects/));
  id.domains.update(admin, d.id, { enabled: false });
  assert.throws(() => id.validateToken(t.token), isCode('Unauthorized'), 'a disabled domain ends its users’ tokens');
  await assert.rejects(id.issueToken(pw('kim', 'kim-pw')), isCode('Unauthorized'));
  id.domains.delete(admin, d.id);
  for (const table of ['projects', 'users', 'groups', 'roles']) {
    assert.equal(env.db.prepare(`SELECT count(*) FROM ${table} WHERE domain_id = ?`).pluck().get(d.id), 0, table);
  }
  assert.throws(() => id.getDomain(admin, d.id), isCode('NotFound'));
  assert.throws(() => id.domains.update(admin, 'default', { enabled: false }), isCode('Forbidden'));
  assert.throws(() => id.domains.delete(admin, 'default'), isCode('Forbidden'));
  env.close();
});

test('project trees: depth limit, disabled parents, is_domain projects are domains, tag filters', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  let parent = id.createProject(admin, { name: 'l1' });
  for (const n of ['l2', 'l3', 'l4', 'l5']) parent = id.createProject(admin, { name: n, parentId: parent.id });
  assert.throws(() => id.createProject(admin, { name: 'l6', parentId: parent.id }), isCode('Forbidden', /depth/), "Keystone's default depth is 5");
  assert.throws(() => id.createProject(admin, { name: 'x', parentId: 'nope' }), isCode('BadRequest'));
  assert.throws(() => id.updateProject(admin, id.projects.parents(admin, parent.id)[0].id, { enabled: false }), isCode('Forbidden', /subtree/));
  assert.deepEqual(id.projects.parents(admin, parent.id).map((p) => p.name), ['l4', 'l3', 'l2', 'l1']);
  assert.deepEqual(id.projects.subtree(admin, id.listProjects(admin, { name: 'l1' })[0].id).map((p) => p.name), ['l2', 'l3', 'l4', 'l5']);

  const asDomain = id.projects.create(admin, { name: 'pd', isDomain: true });
  assert.equal(asDomain.isDomain, true);
  assert.equal(id.getDomain(admin, asDomain.id).name, 'pd');
  assert.deepEqual(id.listProjects(admin, { isDomain: true }).map((p) => p.id).includes(asDomain.id), true);
  assert.equal(id.listProjects(admin).some((p) => p.id === asDomain.id), false);

  const tagged = id.createProject(admin, { name: 'tagged', tags: ['a', 'b'] });
  id.projects.addTag(admin, tagged.id, 'c');
  const names = (f: Parameters<typeof id.listProjects>[1]) => id.listProjects(admin, f).map((p) => p.name).filter((n) => n === 'tagged');
  assert.deepEqual([names({ tags: ['a', 'c'] }), names({ tags: ['a', 'z'] }), names({ tagsAny: ['z', 'c'] }), names({ notTagsAny: ['b'] }), names({ notTags: ['a', 'z'] })], [['tagged'], [], ['tagged'], [], ['tagged']]);
  assert.throws(() => id.projects.removeTag(admin, tagged.id, 'zz'), isCode('NotFound'));
  assert.throws(() => id.projects.setTags(admin, tagged.id, ['with/slash']), isCode('BadRequest'));
  env.close();
});
