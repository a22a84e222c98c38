// Deeply nested JSON (a 9 KB {"server":{"name":[[[…]]]}} or a bare 12 KB [[[…]]]) is a clean 400 in
// the service's shape on every prefix, /api and the WebSockets — never a 500 or an overflowed stack.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { z } from 'zod';
import { jsonPreview } from '../../main/api/http/json-body';
import { novaParse } from '../../main/api/openstack/compute/validate';
import { DeskError } from '../../main/core/errors';
import { startTestServer, type TestServer } from '../helpers/test-server';

type Json = ReturnType<typeof JSON.parse>;
let t: TestServer;
let token: string;

before(async () => {
  t = await startTestServer();
  token = await t.token();
});
after(async () => t?.close());

const nest = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const DEEP_NAME = `{"server":{"name":${nest(4500)}}}`; // about 9 KB
const BARE = nest(6000); // 12 KB

async function send(method: string, path: string, body: string, type = 'application/json'): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${t.url}${path}`, { method, headers: { 'x-auth-token': token, 'content-type': type }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

test('every REST prefix and /api/rpc answers deep JSON with a 400 in its own error shape', async () => {
  const cases: Array<[string, string, string, (b: Json) => string]> = [
    ['POST', '/compute/v2.1/servers', DEEP_NAME, (b) => b.badRequest.message],
    ['POST', '/compute/v2.1/servers', BARE, (b) => b.badRequest.message],
    ['POST', '/compute/v2.1/os-keypairs', BARE, (b) => b.badRequest.message],
    ['POST', '/identity/v3/auth/tokens', BARE, (b) => b.error.message],
    ['POST', '/identity/v3/projects', `{"project":{"name":${nest(5000)}}}`, (b) => b.error.message],
    ['POST', '/image/v2/images', BARE, (b) => b.error.message],
    ['PUT', '/network/v2.0/networks/x', BARE, (b) => b.NeutronError.message],
    ['POST', '/api/rpc/serverCreate', `{"name":${nest(5000)}}`, (b) => b.message],
  ];
  for (const [method, path, body, messageOf] of cases) {
    const r = await send(method, path, body);
    assert.equal(r.status, 400, `${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    assert.match(messageOf(r.body), /nested deeper than 64 levels/, `${method} ${path}`);
  }
});

test('a deep json-patch document to Glance is a 400 too', async () => {
  const created = await send('POST', '/image/v2/images', JSON.stringify({ name: 'deep-patch', disk_format: 'raw', container_format: 'bare' }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const r = await send('PATCH', `/image/v2/images/${created.body.id}`, `[{"op":"add","path":"/x","value":${nest(6000)}}]`, 'application/openstack-images-v2.1-json-patch');
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.match(r.body.error.message, /nested deeper than 64 levels/);
});

test('deep JSON as the first WebSocket message is refused cleanly', async () => {
  for (const path of ['/api/events', '/api/console/00000000-0000-4000-8000-000000000000']) {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}${path}`);
    const frames: Json[] = [];
    ws.on('message', (d: Buffer) => frames.push(JSON.parse(String(d))));
    const code = await new Promise<number>((resolve, reject) => {
      ws.on('open', () => ws.send(`{"type":"auth","token":${nest(20_000)}}`));
      ws.on('close', (c) => resolve(c));
      ws.on('error', reject);
    });
    assert.equal(code, 4400, `${path} closes as a bad request`);
    assert.equal(frames.at(-1).error.code, 'BadRequest');
  }
  const still = await fetch(`${t.url}/compute/v2.1/flavors`, { headers: { 'x-auth-token': token } });
  assert.equal(still.status, 200, 'the server is still answering');
});

test('error messages render any value bounded, whatever its depth', () => {
  const deep = JSON.parse(nest(50_000));
  assert.throws(
    () => novaParse(z.object({ name: z.string() }), { name: deep }),
    (e: unknown) => e instanceof DeskError && e.code === 'BadRequest' && /is not of type 'string'/.test(e.message) && e.message.length < 600,
  );
  assert.equal(jsonPreview(deep, 20), '[[[[[[[...]]]]]]]');
  assert.equal(jsonPreview({ a: 'x'.repeat(1000) }, 10), '{"a": "xxx...');
  assert.equal(jsonPreview({ a: [1, 'b', null] }), '{"a": [1, "b", null]}');
});
