import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startIdentityHarness, type IdentityHarness } from './identity-harness';

let h: IdentityHarness;
let admin: string;
before(async () => {
  h = await startIdentityHarness();
  admin = await h.token();
});
after(async () => h.close());

async function call(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['x-auth-token'] = opts.token;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(h.url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const passwordAuth = (name: string, password: string, scope?: unknown) => ({
  auth: { identity: { methods: ['password'], password: { user: { name, domain: { name: 'Default' }, password } } }, ...(scope ? { scope } : {}) },
});

test('version discovery: 300 at /identity, 200 at /identity/v3', async () => {
  for (const path of ['/identity', '/identity/']) {
    const r = await call('GET', path);
    assert.equal(r.status, 300);
    assert.deepEqual(r.body, {
      versions: {
        values: [
          {
            id: 'v3.14',
            status: 'stable',
            updated: '2020-04-07T00:00:00Z',
            links: [{ rel: 'self', href: `${h.url}/identity/v3/` }],
            'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
          },
        ],
      },
    });
  }
  for (const path of ['/identity/v3', '/identity/v3/']) {
    const r = await call('GET', path);
    assert.equal(r.status, 200);
    assert.equal(r.body.version.id, 'v3.14');
    assert.equal(r.body.version.links[0].href, `${h.url}/identity/v3/`);
  }
});

test('POST /v3/auth/tokens answers 201 with X-Subject-Token and Keystone\'s token body', async () => {
  const r = await call('POST', '/identity/v3/auth/tokens', { body: passwordAuth('admin', ADMIN_PASSWORD, { project: { name: 'admin', domain: { id: 'default' } } }) });
  assert.equal(r.status, 201);
  assert.match(r.headers.get('x-subject-token') ?? '', /^gAAAAA/);
  assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-/);
  const t = r.body.token;
  assert.deepEqual(t.methods, ['password']);
  assert.deepEqual(Object.keys(t.user).sort(), ['domain', 'id', 'name', 'password_expires_at']);
  assert.deepEqual(t.user.domain, { id: 'default', name: 'Default' });
  assert.equal(t.project.name, 'admin');
  assert.deepEqual(t.project.domain, { id: 'default', name: 'Default' });
  assert.equal(t.is_domain, false);
  assert.match(t.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.match(t.issued_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.equal(t.audit_ids.length, 1);
  assert.deepEqual(t.roles.map((x: { name: string }) => x.name).sort(), ['admin', 'member', 'reader']);
  assert.deepEqual(t.catalog.map((c: { type: string }) => c.type), ['identity', 'compute', 'image', 'network']);
  assert.equal(t.catalog[1].endpoints[0].url, `${h.url}/compute/v2.1`);
  const nc = await call('POST', '/identity/v3/auth/tokens?nocatalog', { body: passwordAuth('admin', ADMIN_PASSWORD, { project: { name: 'admin', domain: { id: 'default' } } }) });
  assert.equal(nc.status, 201);
  assert.equal(nc.body.token.catalog, undefined);
});

test('GET/HEAD/DELETE /v3/auth/tokens validate and revoke a subject token', async () => {
  const subject = await h.token();
  const g = await call('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': subject } });
  assert.equal(g.status, 200);
  assert.equal(g.headers.get('x-subject-token'), subject);
  assert.equal(g.body.token.user.name, 'admin');
  assert.ok(Array.isArray(g.body.token.catalog));
  assert.equal((await call('HEAD', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': subject } })).status, 200);
  assert.equal((await call('DELETE', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': subject } })).status, 204);
  const gone = await call('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': subject } });
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.code, 404);
  const unauth = await call('GET', '/identity/v3/projects', { token: subject });
  assert.equal(unauth.status, 401);
  assert.deepEqual(unauth.body, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
});

test('unscoped token: no catalog or project; lists its projects; rescopes with the token method', async () => {
  const r = await call('POST', '/identity/v3/auth/tokens', { body: passwordAuth('admin', ADMIN_PASSWORD, 'unscoped') });
  assert.equal(r.status, 201);
  assert.equal(r.body.token.project, undefined);
  assert.equal(r.body.token.catalog, undefined);
  const unscoped = r.headers.get('x-subject-token')!;
  const projects = await call('GET', '/identity/v3/auth/projects', { token: unscoped });
  assert.equal(projects.status, 200);
  assert.deepEqual(projects.body.projects.map((p: { name: string }) => p.name), ['admin']);
  assert.deepEqual(projects.body.links, { self: `${h.url}/identity/v3/auth/projects`, previous: null, next: null });
  assert.equal((await call('GET', '/identity/v3/auth/catalog', { token: unscoped })).status, 403);
  assert.equal((await call('GET', '/identity/v3/projects', { token: unscoped })).status, 401);
  const re = await call('POST', '/identity/v3/auth/tokens', {
    body: { auth: { identity: { methods: ['token'], token: { id: unscoped } }, scope: { project: { id: projects.body.projects[0].id } } } },
  });
  assert.equal(re.status, 201);
  assert.equal(re.body.token.project.name, 'admin');
  assert.equal(re.body.token.audit_ids.length, 2);
  const cat = await call('GET', '/identity/v3/auth/catalog', { token: re.headers.get('x-subject-token')! });
  assert.equal(cat.status, 200);
  assert.equal(cat.body.catalog.length, 4);
});

test('projects, users and role assignments: CRUD with Keystone shapes; no password hash ever leaves', async () => {
  const cp = await call('POST', '/identity/v3/projects', { token: admin, body: { project: { name: 'web', description: null, enabled: true, domain_id: 'default', color: 'blue' } } });
  assert.equal(cp.status, 201);
  const project = cp.body.project;
  assert.deepEqual(
    { ...project, id: undefined, links: undefined },
    { id: undefined, links: undefined, name: 'web', description: '', enabled: true, domain_id: 'default', parent_id: 'default', is_domain: false, tags: [], options: {}, color: 'blue' },
  );
  assert.equal(project.links.self, `${h.url}/identity/v3/projects/${project.id}`);
  assert.equal((await call('POST', '/identity/v3/projects', { token: admin, body: { project: { name: 'web' } } })).status, 409);
  const list = await call('GET', '/identity/v3/projects?name=web', { token: admin });
  assert.deepEqual(list.body.projects.map((p: { id: string }) => p.id), [project.id]);
  assert.deepEqual(list.body.links, { self: `${h.url}/identity/v3/projects?name=web`, previous: null, next: null });
  assert.equal((await call('GET', '/identity/v3/projects?enabled=false', { token: admin })).body.projects.length, 0);
  const patched = await call('PATCH', `/identity/v3/projects/${project.id}`, { token: admin, body: { project: { description: 'site', tags: ['prod'] } } });
  assert.equal(patched.status, 200);
  assert.deepEqual([patched.body.project.description, patched.body.project.tags], ['site', ['prod']]);

  const cu = await call('POST', '/identity/v3/users', { token: admin, body: { user: { name: 'gina', password: 'gina-pw', default_project_id: project.id, email: 'g@example.org' } } });
  assert.equal(cu.status, 201);
  const user = cu.body.user;
  assert.equal(user.email, 'g@example.org');
  assert.equal(user.password, undefined);
  assert.equal(user.password_expires_at, null);
  assert.ok(!JSON.stringify((await call('GET', '/identity/v3/users', { token: admin })).body).includes('scrypt'));

  const roles = await call('GET', '/identity/v3/roles?name=member', { token: admin });
  const member = roles.body.roles[0];
  assert.equal(member.name, 'member');
  const grant = `/identity/v3/projects/${project.id}/users/${user.id}/roles/${member.id}`;
  assert.equal((await call('HEAD', grant, { token: admin })).status, 404);
  assert.equal((await call('PUT', grant, { token: admin })).status, 204);
  assert.equal((await call('HEAD', grant, { token: admin })).status, 204);
  const ra = await call('GET', `/identity/v3/role_assignments?user.id=${user.id}&include_names=1`, { token: admin });
  assert.equal(ra.status, 200);
  assert.deepEqual(ra.body.role_assignments, [
    {
      links: { assignment: `${h.url}${grant}` },
      role: { id: member.id, name: 'member' },
      scope: { project: { id: project.id, name: 'web', domain: { id: 'default', name: 'Default' } } },
      user: { id: user.id, name: 'gina', domain: { id: 'default', name: 'Default' } },
    },
  ]);
  const ra2 = await call('GET', `/identity/v3/role_assignments?scope.project.id=${project.id}`, { token: admin });
  assert.deepEqual(ra2.body.role_assignments[0].role, { id: member.id });

  // Gina, a member of "web", sees only web and herself, and may not manage identity. Like Keystone,
  // listing all projects is for admins; a user lists theirs through /v3/auth/projects.
  const gina = await h.token('gina', 'gina-pw', 'web');
  assert.equal((await call('GET', '/identity/v3/projects', { token: gina })).status, 403);
  assert.deepEqual((await call('GET', '/identity/v3/auth/projects', { token: gina })).body.projects.map((p: { name: string }) => p.name), ['web']);
  assert.deepEqual((await call('GET', '/identity/v3/users', { token: gina })).body.users.map((u: { name: string }) => u.name), ['gina']);
  const denied = await call('POST', '/identity/v3/users', { token: gina, body: { user: { name: 'x' } } });
  assert.equal(denied.status, 403);
  assert.deepEqual(denied.body, { error: { code: 403, title: 'Forbidden', message: 'You are not authorized to perform the requested action: identity:create_user.' } });
  assert.equal((await call('GET', `/identity/v3/users/${user.id}/projects`, { token: gina })).body.projects[0].name, 'web');

  assert.equal((await call('DELETE', grant, { token: admin })).status, 204);
  assert.equal((await call('GET', '/identity/v3/projects', { token: gina })).status, 401, 'no role left: token no longer valid');
  assert.equal((await call('DELETE', grant, { token: admin })).status, 404);
  assert.equal((await call('DELETE', `/identity/v3/users/${user.id}`, { token: admin })).status, 204);
  assert.equal((await call('DELETE', `/identity/v3/projects/${project.id}`, { token: admin })).status, 204);
  const nf = await call('GET', `/identity/v3/projects/${project.id}`, { token: admin });
  assert.deepEqual(nf.body, { error: { code: 404, title: 'Not Found', message: `Could not find project: ${project.id}.` } });
});

test('roles and domains: list, get, create', async () => {
  const created = await call('POST', '/identity/v3/roles', { token: admin, body: { role: { name: 'operator', description: 'runs things' } } });
  assert.equal(created.status, 201);
  assert.equal(created.body.role.description, 'runs things');
  assert.equal((await call('GET', `/identity/v3/roles/${created.body.role.id}`, { token: admin })).body.role.name, 'operator');
  assert.equal((await call('POST', '/identity/v3/roles', { token: admin, body: { role: { name: 'operator' } } })).status, 409);
  const d = await call('GET', '/identity/v3/domains', { token: admin });
  assert.deepEqual(d.body.domains.map((x: { id: string; name: string }) => [x.id, x.name]), [['default', 'Default']]);
  assert.equal((await call('GET', '/identity/v3/domains/default', { token: admin })).body.domain.enabled, true);
  assert.equal((await call('GET', '/identity/v3/domains/nope', { token: admin })).status, 404);
});

test('role_assignments?effective lists implied roles too', async () => {
  const direct = await call('GET', '/identity/v3/role_assignments?user.id=' + (await call('GET', '/identity/v3/users?name=admin', { token: admin })).body.users[0].id + '&include_names', { token: admin });
  assert.deepEqual(direct.body.role_assignments.map((a: { role: { name: string } }) => a.role.name), ['admin']);
  const eff = await call('GET', '/identity/v3/role_assignments?effective&include_names&scope.project.id=' + direct.body.role_assignments[0].scope.project.id, { token: admin });
  assert.deepEqual(eff.body.role_assignments.map((a: { role: { name: string } }) => a.role.name).sort(), ['admin', 'member', 'reader']);
});

test('while the public URL has no port yet, links follow the Host header the client used', async () => {
  const saved = h.cp.publicUrl;
  h.cp.publicUrl = 'http://127.0.0.1:0';
  try {
    const { request } = await import('node:http');
    const port = new URL(h.url).port;
    const body = await new Promise<string>((resolve, reject) => {
      // A loopback-bound server answers loopback Host names only (DNS rebinding); the port still differs from the real one.
      const req = request({ host: '127.0.0.1', port, path: '/identity/v3', headers: { host: 'localhost:5000' } }, (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve(data));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(JSON.parse(body).version.links[0].href, 'http://localhost:5000/identity/v3/');
  } finally {
    h.cp.publicUrl = saved;
  }
});

test('an application credential with access rules works where they allow, across services, and nowhere else', async () => {
  const body = { application_credential: { name: 'flavors-only', access_rules: [{ service: 'compute', method: 'GET', path: '/v2.1/flavors' }] } };
  const made = await call('POST', `/identity/v3/users/${h.identity.adminIds().userId}/application_credentials`, { token: admin, body });
  assert.equal(made.status, 201);
  const { id, secret, access_rules } = made.body.application_credential;
  assert.deepEqual(access_rules.map((r: { service: string; path: string }) => [r.service, r.path]), [['compute', '/v2.1/flavors']]);
  const issued = await call('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['application_credential'], application_credential: { id, secret } } } } });
  assert.equal(issued.status, 201);
  assert.deepEqual(issued.body.token.methods, ['application_credential']);
  assert.equal(issued.body.token.application_credential.access_rules.length, 1);
  const token = issued.headers.get('x-subject-token')!;
  assert.equal((await call('GET', '/compute/v2.1/flavors', { token })).status, 200);
  assert.equal((await call('GET', '/compute/v2.1/servers', { token })).status, 401);
  assert.equal((await call('GET', '/identity/v3/projects', { token })).status, 401);
  // Anyone may still inspect the token itself.
  assert.equal((await call('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': token } })).status, 200);
});
