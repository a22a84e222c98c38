import { existsSync, rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds, nova, waitStatus, type Json, type NovaClient } from './compute-helpers';

let t: TestServer;
let c: NovaClient;
let ids: { imageId: string; networkId: string };

before(async () => {
  t = await startTestServer();
  c = nova(t, await t.token());
  ids = demoIds(t);
});
after(async () => t?.close());

const NOVA_KEYS = new Set(['badRequest', 'itemNotFound', 'forbidden', 'conflictingRequest', 'badMediaType', 'computeFault', 'error']);

function assertNova4xx(r: { status: number; body: Json }, label: string): void {
  assert.ok(r.status >= 400 && r.status < 500, `${label}: expected 4xx, got ${r.status} ${JSON.stringify(r.body)}`);
  const [key] = Object.keys(r.body ?? {});
  assert.ok(NOVA_KEYS.has(key), `${label}: not a Nova error body: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body[key].message, 'string');
  assert.equal(r.body[key].code, r.status);
}

test('malformed, mistyped and oversized bodies get Nova-style 4xx answers, never 500', async () => {
  const base = { name: 'ok', imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] };
  const cases: Array<[string, unknown]> = [
    ['malformed JSON', '{"server": {"name": '],
    ['array body', '[]'],
    ['null body', 'null'],
    ['no server key', { nope: {} }],
    ['unknown field', { server: { ...base, colour: 'red' } }],
    ['unknown top-level field', { ...{ server: base }, extra: 1 }],
    ['name wrong type', { server: { ...base, name: 42 } }],
    ['name too long', { server: { ...base, name: 'x'.repeat(10_000) } }],
    ['empty name', { server: { ...base, name: '' } }],
    ['leading space name', { server: { ...base, name: ' x' } }],
    ['min_count zero', { server: { ...base, min_count: 0 } }],
    ['min_count object', { server: { ...base, min_count: { a: 1 } } }],
    ['metadata not strings', { server: { ...base, metadata: { a: 1 } } }],
    ['metadata key too long', { server: { ...base, metadata: { ['k'.repeat(256)]: 'v' } } }],
    ['networks garbage', { server: { ...base, networks: [{ uuid: '../../etc' }] } }],
    ['imageRef missing', { server: { name: 'x', flavorRef: '1' } }],
    ['bad user_data', { server: { ...base, user_data: '$(touch /tmp/x)' } }],
    ['unknown flavor', { server: { ...base, flavorRef: "a'b\"c" } }],
    ['unknown image', { server: { ...base, imageRef: '../../etc/passwd' } }],
  ];
  for (const [label, body] of cases) assertNova4xx(await c.call('POST', '/servers', body), label);

  const unknownField = await c.call('POST', '/servers', { server: { ...base, colour: 'red' } });
  assert.match(unknownField.body.badRequest.message, /Additional properties are not allowed \('colour' was unexpected\)/);

  for (const [label, path, body] of [
    ['action unknown', '/servers/x/action', { 'os-explode': null }],
    ['reboot bad type', '/servers/x/action', { reboot: { type: 'GENTLE' } }],
    ['keypair bad name', '/os-keypairs', { keypair: { name: '$(touch /tmp/x)' } }],
    ['keypair bad key', '/os-keypairs', { keypair: { name: 'k', public_key: "a'b\"c" } }],
    ['server group bad policy', '/os-server-groups', { server_group: { name: 'g', policies: ['chaos'] } }],
    ['flavor bad ram', '/flavors', { flavor: { name: 'f', ram: 'lots', vcpus: 1, disk: 1 } }],
  ] as Array<[string, string, unknown]>) {
    assertNova4xx(await c.call('POST', path, body), label);
  }
  const quota = await c.call('PUT', `/os-quota-sets/${t.cp.identity.adminIds().projectId}`, { quota_set: { instances: 'many' } });
  assertNova4xx(quota, 'quota wrong type');
  const huge = await c.call('POST', '/servers', JSON.stringify({ server: { ...base, user_data: 'A'.repeat(2 * 1024 * 1024) } }));
  assertNova4xx(huge, 'body too large');
  const textBody = await c.call('POST', '/servers', 'name=x', { 'content-type': 'text/plain' });
  assertNova4xx(textBody, 'wrong content type');
});

test('hostile names are stored verbatim and never reach a shell; hostile ids are 404s', async () => {
  rmSync('/tmp/x', { force: true });
  const names = ['$(touch /tmp/x)', 'a\'b"c', '../../etc', '`reboot`; rm -rf /', '<script>alert(1)</script>'];
  for (const name of names) {
    const r = await c.call('POST', '/servers', { server: { name, imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] } });
    assert.equal(r.status, 202, `${name}: ${JSON.stringify(r.body)}`);
    const s = await waitStatus(c, r.body.server.id, ['ACTIVE']);
    assert.equal(s.name, name);
  }
  assert.equal(existsSync('/tmp/x'), false);
  for (const id of ['../../etc', "a'b\"c", '$(touch /tmp/x)', 'x'.repeat(10_000), '%00']) {
    for (const [method, path] of [['GET', `/servers/${encodeURIComponent(id)}`], ['DELETE', `/servers/${encodeURIComponent(id)}`], ['GET', `/flavors/${encodeURIComponent(id)}`], ['GET', `/os-keypairs/${encodeURIComponent(id)}`]]) {
      const r = await c.call(method, path);
      assertNova4xx(r, `${method} ${path.slice(0, 40)}`);
    }
  }
  const q = await c.call('GET', `/servers/detail?limit=abc&name=${encodeURIComponent('(a+)+$')}`);
  assertNova4xx(q, 'bad limit');
  const regexName = await c.call('GET', `/servers/detail?name=${encodeURIComponent('(a+)+$')}`);
  assert.equal(regexName.status, 200);
});

test('forged, missing and garbage tokens get 401', async () => {
  for (const token of ['forged-token', 'x'.repeat(5000), "a'b\"c"]) {
    const r = await nova(t, token).call('GET', '/servers');
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 401);
  }
  const none = await fetch(`${t.url}/compute/v2.1/servers`);
  assert.equal(none.status, 401);
});
