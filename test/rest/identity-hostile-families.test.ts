// Hostile and malformed input against the Keystone families beyond users and projects: every refusal is
// a 4xx in Keystone's error shape, never a 500.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startIdentityHarness, type IdentityHarness } from './identity-harness';

let h: IdentityHarness;
let admin: string;
let member: string;
let memberId: string;
before(async () => {
  h = await startIdentityHarness();
  admin = await h.token();
  const ctx = h.identity.loginLocalAdmin();
  const p = h.identity.createProject(ctx, { name: 'hostile' });
  const u = await h.identity.createUser(ctx, { name: 'mallory', password: 'mallory-pw' });
  h.identity.assignRole(ctx, { userId: u.id, projectId: p.id, roleId: h.identity.roleByName('member')!.id });
  memberId = u.id;
  member = await h.token('mallory', 'mallory-pw', 'hostile');
});
after(async () => h.close());

type ErrorBody = { error?: { code: number; title: string; message: string } };

async function call(method: string, path: string, body?: unknown, token = admin) {
  const res = await fetch(h.url + '/identity/v3' + path, {
    method,
    headers: { 'x-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as ErrorBody & Record<string, unknown> };
}

async function refused(status: number, method: string, path: string, body?: unknown, token = admin) {
  const r = await call(method, path, body, token);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.error?.code, status);
  assert.ok((r.body.error?.message ?? '').length > 0);
  return r.body.error!.message;
}

test('domains: names, types, duplicates, deleting an enabled or missing one', async () => {
  await refused(400, 'POST', '/domains', { domain: { name: '' } });
  await refused(400, 'POST', '/domains', { domain: { name: 'd'.repeat(65) } });
  await refused(400, 'POST', '/domains', { domain: { name: 42 } });
  await refused(400, 'POST', '/domains', { domain: { name: 'ok', enabled: 'False' } });
  await refused(400, 'POST', '/domains', '{"domain": ');
  const d = (await call('POST', '/domains', { domain: { name: 'hostile-dom' } })).body.domain as { id: string };
  await refused(409, 'POST', '/domains', { domain: { name: 'hostile-dom' } });
  assert.match(await refused(403, 'DELETE', `/domains/${d.id}`), /disable it first/);
  await refused(404, 'DELETE', '/domains/0123456789abcdef0123456789abcdef');
  await refused(403, 'POST', '/domains', { domain: { name: 'by-member' } }, member);
  await refused(403, 'PATCH', '/domains/default', { domain: { enabled: false } });
  await refused(403, 'PUT', `/domains/${d.id}/config`, { config: { nova: { driver: 'x' } } });
  await refused(400, 'PUT', `/domains/${d.id}/config`, { config: 'ldap' });
  await refused(404, 'GET', `/domains/${d.id}/config/ldap/url`);
});

test('groups and grants: unknown users, roles and targets are 404s; members cannot grant', async () => {
  const g = (await call('POST', '/groups', { group: { name: 'hostile-grp' } })).body.group as { id: string };
  await refused(400, 'POST', '/groups', { group: { name: 'g'.repeat(256) } });
  await refused(409, 'POST', '/groups', { group: { name: 'hostile-grp' } });
  await refused(404, 'PUT', `/groups/${g.id}/users/nobody`);
  await refused(404, 'DELETE', `/groups/${g.id}/users/${memberId}`);
  await refused(403, 'GET', '/groups', undefined, member);
  const role = h.identity.roleByName('member')!.id;
  await refused(404, 'PUT', `/domains/nowhere/groups/${g.id}/roles/${role}`);
  await refused(404, 'PUT', `/projects/${h.identity.adminIds().projectId}/groups/${g.id}/roles/nope`);
  await refused(404, 'PUT', `/OS-INHERIT/domains/default/groups/missing/roles/${role}/inherited_to_projects`);
  await refused(403, 'PUT', `/system/users/${memberId}/roles/${role}`, undefined, member);
  await refused(404, 'GET', `/system/users/${memberId}/roles/${role}`);
  await refused(400, 'GET', `/role_assignments?effective&group.id=${g.id}`);
  await refused(400, 'GET', '/role_assignments?scope.project.id=a&scope.domain.id=b');
  await refused(400, 'GET', '/role_assignments?user.id=a&user.id=b');
  await refused(403, 'GET', `/role_assignments?user.id=${h.identity.adminIds().userId}`, undefined, member);
});

test('roles and inference rules: cycles are conflicts, global-to-domain is forbidden', async () => {
  const a = (await call('POST', '/roles', { role: { name: 'hostile-a' } })).body.role as { id: string };
  const b = (await call('POST', '/roles', { role: { name: 'hostile-b' } })).body.role as { id: string };
  const local = (await call('POST', '/roles', { role: { name: 'hostile-a', domain_id: 'default' } })).body.role as { id: string };
  assert.equal((await call('PUT', `/roles/${a.id}/implies/${b.id}`)).status, 201);
  await refused(409, 'PUT', `/roles/${b.id}/implies/${a.id}`);
  await refused(409, 'PUT', `/roles/${a.id}/implies/${a.id}`);
  await refused(403, 'PUT', `/roles/${a.id}/implies/${local.id}`);
  await refused(404, 'GET', `/roles/${b.id}/implies/${a.id}`);
  await refused(404, 'POST', '/roles', { role: { name: 'x', domain_id: 'nowhere' } });
  await refused(403, 'PATCH', `/roles/${h.identity.roleByName('admin')!.id}`, { role: { name: 'root' } });
});

test('projects: hierarchy and tag abuse', async () => {
  const p = (await call('POST', '/projects', { project: { name: 'hostile-tree' } })).body.project as { id: string };
  await refused(400, 'POST', '/projects', { project: { name: 'c', parent_id: p.id, domain_id: 'nowhere' } });
  await refused(400, 'POST', '/projects', { project: { name: 'd', is_domain: true, parent_id: p.id } });
  await refused(400, 'GET', `/projects/${p.id}?parents_as_list&parents_as_ids`);
  await refused(400, 'PUT', `/projects/${p.id}/tags`, { tags: ['a/b'] });
  await refused(400, 'PUT', `/projects/${p.id}/tags`, { tags: Array.from({ length: 81 }, (_, i) => `t${i}`) });
  await refused(400, 'PUT', `/projects/${p.id}/tags`, { tags: 'a,b' });
  await refused(404, 'DELETE', `/projects/${p.id}/tags/missing`);
  await refused(404, 'GET', `/projects/${p.id}/tags/missing`);
  await refused(403, 'PUT', `/projects/${p.id}/tags`, { tags: ['x'] }, member);
});

test('catalog: strict booleans, interfaces, URLs; DeskStack’s own entries are read-only', async () => {
  const svc = (await call('POST', '/services', { service: { type: 'hostile', name: 'h' } })).body.service as { id: string };
  const ep = { service_id: svc.id, interface: 'public', url: 'http://h.example/v1', region: 'RegionOne' };
  await refused(400, 'POST', '/endpoints', { endpoint: { ...ep, enabled: 'False' } });
  await refused(400, 'POST', '/endpoints', { endpoint: { ...ep, interface: 'sideways' } });
  await refused(400, 'POST', '/endpoints', { endpoint: { ...ep, url: 'http://a b/' } });
  await refused(400, 'POST', '/endpoints', { endpoint: { ...ep, service_id: 'missing' } });
  await refused(400, 'POST', '/services', { service: { name: 'no type' } });
  const own = ((await call('GET', '/services?type=identity')).body.services as Array<{ id: string }>)[0];
  await refused(403, 'DELETE', `/services/${own.id}`);
  await refused(403, 'PATCH', `/services/${own.id}`, { service: { enabled: false } });
  await refused(403, 'DELETE', '/regions/RegionOne');
  await refused(404, 'POST', '/regions', { region: { parent_region_id: 'missing' } });
  await refused(400, 'PUT', `/regions/${'r'.repeat(256)}`, { region: {} });
  await refused(400, 'POST', '/OS-EP-FILTER/endpoint_groups', { endpoint_group: { name: 'x', filters: { url: 'http://evil' } } });
  await refused(403, 'GET', '/endpoints', undefined, member);
});

test('application credentials and trusts: bad expiries, foreign users, roles one does not hold', async () => {
  const me = memberId;
  const path = `/users/${me}/application_credentials`;
  await refused(400, 'POST', path, { application_credential: { name: 'x', expires_at: 'bad.123Z' } }, member);
  await refused(400, 'POST', path, { application_credential: { name: 'x', expires_at: '2001-01-01T00:00:00Z' } }, member);
  await refused(400, 'POST', path, { application_credential: { name: 'x', secret: 's'.repeat(5000) } }, member);
  await refused(400, 'POST', path, { application_credential: { name: 'x', access_rules: [{ path: '/', method: 'FETCH', service: 'compute' }] } }, member);
  await refused(400, 'POST', path, { application_credential: { name: 'x', access_rules: [{ path: 'no-slash', method: 'GET', service: 'compute' }] } }, member);
  await refused(400, 'POST', path, { application_credential: { name: 'x', access_rules: [{ path: '/', method: 'GET', service: '../compute' }] } }, member);
  await refused(404, 'POST', path, { application_credential: { name: 'x', access_rules: [{ id: 'someone-elses' }] } }, member);
  await refused(404, 'DELETE', `/users/${me}/access_rules/missing`, undefined, member);
  await refused(400, 'POST', path, { application_credential: { name: 'n'.repeat(10_000) } }, member);
  await refused(404, 'POST', path, { application_credential: { name: 'x', roles: [{ id: 'nope' }] } }, member);
  await refused(403, 'POST', path, { application_credential: { name: 'x', roles: [{ name: 'admin' }] } }, member);
  await refused(403, 'POST', `/users/${h.identity.adminIds().userId}/application_credentials`, { application_credential: { name: 'x' } }, member);
  await refused(403, 'GET', `/users/${h.identity.adminIds().userId}/application_credentials`, undefined, member);
  const auth = (identity: unknown) => fetch(h.url + '/identity/v3/auth/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: { identity } }) });
  assert.equal((await auth({ methods: ['application_credential'], application_credential: { id: 'forged', secret: 'x' } })).status, 401);
  assert.equal((await auth({ methods: ['application_credential'] })).status, 400);
  assert.equal((await auth({ methods: ['application_credential'], application_credential: { secret: 'x' } })).status, 400);

  const trust = { trustor_user_id: me, trustee_user_id: h.identity.adminIds().userId, impersonation: true, project_id: h.identity.listProjects(h.identity.loginLocalAdmin(), { name: 'hostile' })[0].id, roles: [{ name: 'member' }] };
  await refused(400, 'POST', '/OS-TRUST/trusts', { trust: { ...trust, impersonation: undefined } }, member);
  await refused(400, 'POST', '/OS-TRUST/trusts', { trust: { ...trust, expires_at: 'bad.123Z' } }, member);
  await refused(400, 'POST', '/OS-TRUST/trusts', { trust: { ...trust, remaining_uses: -1 } }, member);
  await refused(400, 'POST', '/OS-TRUST/trusts', { trust: { ...trust, allow_redelegation: true } }, member);
  await refused(403, 'POST', '/OS-TRUST/trusts', { trust }, admin);
  await refused(403, 'POST', '/OS-TRUST/trusts', { trust: { ...trust, roles: [{ name: 'admin' }] } }, member);
  await refused(404, 'POST', '/OS-TRUST/trusts', { trust: { ...trust, trustee_user_id: 'ghost' } }, member);
  await refused(403, 'GET', '/OS-TRUST/trusts', undefined, member);
  await refused(404, 'GET', '/OS-TRUST/trusts/forged', undefined, member);
});

test('credentials: malformed EC2 blobs, foreign owners, unknown access keys', async () => {
  const project = h.identity.listProjects(h.identity.loginLocalAdmin(), { name: 'hostile' })[0].id;
  await refused(400, 'POST', '/credentials', { credential: { user_id: memberId, project_id: project, type: 'ec2', blob: 'not json' } }, member);
  await refused(400, 'POST', '/credentials', { credential: { user_id: memberId, type: 'ec2', blob: '{"access":"a","secret":"b"}' } }, member);
  await refused(400, 'POST', '/credentials', { credential: { user_id: memberId, type: 'cert', blob: { not: 'a string' } } }, member);
  await refused(403, 'POST', '/credentials', { credential: { user_id: h.identity.adminIds().userId, type: 'cert', blob: 'x' } }, member);
  await refused(404, 'GET', `/users/${memberId}/credentials/OS-EC2/unknown`, undefined, member);
  await refused(400, 'POST', `/users/${memberId}/credentials/OS-EC2`, { tenant_id: ['a'] }, member);
  await refused(403, 'POST', `/users/${h.identity.adminIds().userId}/credentials/OS-EC2`, { tenant_id: project }, member);
  await refused(403, 'POST', `/users/${memberId}/credentials/OS-EC2`, { tenant_id: h.identity.adminIds().projectId }, member);
  await refused(404, 'POST', `/users/${memberId}/credentials/OS-EC2`, { tenant_id: 'nowhere' }, member);
  await refused(403, 'POST', '/policies', { policy: { type: 'application/json', blob: '{}' } }, member);
  await refused(403, 'POST', '/OS-OAUTH1/consumers', { consumer: { description: 'x' } }, member);
});
