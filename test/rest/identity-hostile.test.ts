import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ADMIN_PASSWORD, startIdentityHarness, type IdentityHarness } from './identity-harness';

let h: IdentityHarness;
let admin: string;
before(async () => {
  h = await startIdentityHarness();
  admin = await h.token();
});
after(async () => h.close());

async function raw(method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) {
  const res = await fetch(h.url + path, { method, headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json as { error?: { code: number; title: string; message: string } } };
}

/** Every refusal is a 4xx with Keystone's {"error": {code, title, message}} body whose code matches the status. */
function assertKeystoneError(r: { status: number; body: { error?: { code: number; title: string; message: string } } }, status: number) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error?.code, status);
  assert.equal(typeof r.body.error?.title, 'string');
  assert.ok((r.body.error?.message ?? '').length > 0);
}

test('malformed JSON and wrong shapes in the auth body are 400s', async () => {
  const post = (body: string) => raw('POST', '/identity/v3/auth/tokens', body);
  assertKeystoneError(await post('{"auth": '), 400);
  assertKeystoneError(await post('[]'), 400);
  assertKeystoneError(await post('{}'), 400);
  assertKeystoneError(await post('{"auth":{"identity":{"methods":"password"}}}'), 400);
  assertKeystoneError(await post('{"auth":{"identity":{"methods":[]}}}'), 400);
  assertKeystoneError(await post(JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 12345 } } } } })), 400);
  const missing = await post(JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'x' } } } } }));
  assertKeystoneError(missing, 400);
  assert.match(missing.body.error!.message, /Expecting to find domain in user/);
  const adminPw = { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: ADMIN_PASSWORD } } };
  // A domain scope without a role on the domain is refused like any other scope the user lacks.
  assertKeystoneError(await post(JSON.stringify({ auth: { identity: adminPw, scope: { domain: { id: 'default' } } } })), 401);
  assertKeystoneError(await post(JSON.stringify({ auth: { identity: adminPw, scope: { domain: { id: 'default' }, project: { id: 'x' } } } })), 400);
  assertKeystoneError(await post(JSON.stringify({ auth: { identity: adminPw, scope: { system: { all: false } } } })), 400);
  assertKeystoneError(await post(JSON.stringify({ auth: { identity: adminPw, scope: { domain: {} } } })), 400);
  assertKeystoneError(await raw('POST', '/identity/v3/auth/tokens', 'name=admin', { 'content-type': 'text/plain' }), 400);
});

test('wrong passwords, unknown users and huge names are 401s with the same message', async () => {
  const auth = (name: string, password: string) =>
    JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name, domain: { id: 'default' }, password } } } } });
  for (const body of [auth('admin', 'nope'), auth('ghost', ADMIN_PASSWORD), auth('x'.repeat(1000), 'pw'), auth('$(touch /tmp/x)', "a'b\"c")]) {
    const r = await raw('POST', '/identity/v3/auth/tokens', body);
    assertKeystoneError(r, 401);
    assert.equal(r.body.error!.message, 'The request you have made requires authentication.');
  }
  assertKeystoneError(await raw('POST', '/identity/v3/auth/tokens', auth('x'.repeat(10_000), 'pw')), 400);
});

test('forged, empty and oversized tokens are 401s; missing subject token is 400', async () => {
  for (const token of ['gAAAAAforged', 'x'.repeat(10_000), admin.slice(0, -1) + (admin.endsWith('A') ? 'B' : 'A'), "'; DROP TABLE tokens;--"]) {
    assertKeystoneError(await raw('GET', '/identity/v3/projects', undefined, { 'x-auth-token': token }), 401);
  }
  assertKeystoneError(await raw('GET', '/identity/v3/projects', undefined), 401);
  assertKeystoneError(await raw('GET', '/identity/v3/auth/tokens', undefined, { 'x-auth-token': admin }), 400);
  assertKeystoneError(await raw('GET', '/identity/v3/auth/tokens', undefined, { 'x-auth-token': admin, 'x-subject-token': 'forged' }), 404);
  const r = await raw('POST', '/identity/v3/auth/tokens', JSON.stringify({ auth: { identity: { methods: ['token'], token: { id: 'forged' } } } }));
  assertKeystoneError(r, 401);
});

test('entity bodies: wrong types, 10,000-character names and hostile names are handled', async () => {
  const post = (path: string, body: unknown) => raw('POST', path, JSON.stringify(body), { 'x-auth-token': admin });
  assertKeystoneError(await post('/identity/v3/projects', { project: { name: 42 } }), 400);
  assertKeystoneError(await post('/identity/v3/projects', { project: { name: 'ok', enabled: 'yes' } }), 400);
  assertKeystoneError(await post('/identity/v3/projects', { name: 'no-wrapper' }), 400);
  assertKeystoneError(await post('/identity/v3/projects', { project: { name: 'x'.repeat(10_000) } }), 400);
  assertKeystoneError(await post('/identity/v3/users', { user: { name: 'u'.repeat(10_000) } }), 400);
  assertKeystoneError(await post('/identity/v3/users', { user: { name: 'ok', default_project_id: 'missing' } }), 400);
  assertKeystoneError(await post('/identity/v3/roles', { role: { name: ['admin'] } }), 400);
  assertKeystoneError(await post('/identity/v3/projects', { project: { name: 'child', parent_id: 'abc' } }), 400);
  assertKeystoneError(await raw('PATCH', '/identity/v3/projects/nope', '{"project":{}}', { 'x-auth-token': admin }), 404);
  assertKeystoneError(await raw('GET', '/identity/v3/projects?enabled=1&enabled=0', undefined, { 'x-auth-token': admin }), 400);
  assertKeystoneError(await raw('GET', `/identity/v3/projects/${'../'.repeat(2000)}etc`, undefined, { 'x-auth-token': admin }), 404);
  for (const name of ['$(touch /tmp/deskstack-pwned)', `a'b"c`, '../../etc', '<script>alert(1)</script>']) {
    const r = await post('/identity/v3/projects', { project: { name } });
    assert.equal(r.status, 201);
    const got = await raw('GET', `/identity/v3/projects?name=${encodeURIComponent(name)}`, undefined, { 'x-auth-token': admin });
    assert.equal((got.body as unknown as { projects: Array<{ name: string }> }).projects[0].name, name);
  }
  assert.equal(existsSync('/tmp/deskstack-pwned'), false);
});

test('a body over the size limit is a 413 in Keystone\'s shape', async () => {
  const big = JSON.stringify({ project: { name: 'big', description: 'x'.repeat(h.config.maxJsonBody + 10) } });
  assertKeystoneError(await raw('POST', '/identity/v3/projects', big, { 'x-auth-token': admin }), 413);
});
