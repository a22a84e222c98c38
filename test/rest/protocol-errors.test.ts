// Errors below the routes still speak each service's error shape: oversized headers (431), broken
// framing and a missing Host (400), and a known path asked with the wrong method (405 with Allow).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/test-server';

type Json = ReturnType<typeof JSON.parse>;
let t: TestServer;
let port: number;
let token: string;

before(async () => {
  t = await startTestServer({ demo: false });
  port = Number(new URL(t.url).port);
  token = await t.token();
});
after(async () => t?.close());

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: Json;
}

/** Sends bytes as they are (fetch and node:http would fix what these tests break) and reads the one answer. */
function raw(request: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const text = rest.join('\r\n\r\n');
      try {
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text ? JSON.parse(text) : null });
      } catch {
        reject(new Error(`not JSON: ${data.slice(0, 500)}`));
      }
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${request.slice(0, 80)}`)));
    socket.end(request);
  });
}

const get = (path: string, headers = `Host: 127.0.0.1:${0}\r\n`) => `GET ${path} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`;

test('a 20 KB X-Auth-Token gets 431 in the shape of the service its path names', async () => {
  const big = `Host: 127.0.0.1\r\nX-Auth-Token: ${'a'.repeat(20 * 1024)}\r\n`;
  const nova = await raw(get('/compute/v2.1/servers', big));
  assert.equal(nova.status, 431);
  assert.deepEqual(Object.keys(nova.body), ['computeFault']);
  assert.equal(nova.body.computeFault.code, 431);
  assert.match(nova.body.computeFault.message, /headers exceed 16 KB/);
  assert.match(nova.headers['x-openstack-request-id'], /^req-/);
  const keystone = await raw(get('/identity/v3/auth/tokens', big));
  assert.deepEqual(keystone.body.error, { code: 431, title: 'Request Header Fields Too Large', message: keystone.body.error.message });
  const neutron = await raw(get('/network/v2.0/networks', big));
  assert.equal(neutron.body.NeutronError.type, 'HTTPRequestHeaderFieldsTooLarge');
  const glance = await raw(get('/image/v2/images', big));
  assert.equal(glance.body.error.code, 431);
  const ui = await raw(get('/api/rpc/taskList', big));
  assert.equal(ui.body.code, 'HeaderTooLarge', 'the UI contract keeps its envelope');
});

test('malformed framing gets a 400 in the service shape', async () => {
  const badLength = await raw(`POST /compute/v2.1/servers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: twelve\r\n\r\n{}`);
  assert.equal(badLength.status, 400);
  assert.equal(badLength.body.badRequest.code, 400);
  assert.match(badLength.body.badRequest.message, /Malformed HTTP request/);
  const badChunk = await raw(`POST /identity/v3/auth/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`);
  assert.equal(badChunk.status, 400);
  assert.equal(badChunk.body.error.title, 'Bad Request');
  const garbage = await raw('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n');
  assert.equal(garbage.status, 400);
  assert.equal(garbage.body.error.code, 400, 'no path: the plain error shape');
});

test('a request without a Host header gets a 400 that says so', async () => {
  const r = await raw('GET /image/v2/images HTTP/1.1\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 400);
  assert.match(r.body.error.message, /Missing Host header/);
  const nova = await raw('GET /compute/v2.1/flavors HTTP/1.1\r\nConnection: close\r\n\r\n');
  assert.match(nova.body.badRequest.message, /Missing Host header/);
});

test('a known path with the wrong method is 405 with Allow, on every service and /api; unknown paths stay 404', async () => {
  const call = async (method: string, path: string) => {
    const res = await fetch(`${t.url}${path}`, { method, headers: { 'x-auth-token': token } });
    return { status: res.status, allow: res.headers.get('allow'), body: (await res.json()) as Json };
  };
  const nova = await call('PATCH', '/compute/v2.1/flavors');
  assert.equal(nova.status, 405);
  assert.deepEqual(Object.keys(nova.body), ['badMethod']);
  assert.equal(nova.body.badMethod.code, 405);
  assert.match(nova.allow!, /GET/);
  assert.match(nova.allow!, /POST/);
  const server = await call('PATCH', '/compute/v2.1/servers/3b0b0b0b-0000-4000-8000-000000000000');
  assert.equal(server.status, 405, 'a path with an id is known too');
  assert.match(server.allow!, /PUT/);
  const keystone = await call('PATCH', '/identity/v3/auth/tokens');
  assert.equal(keystone.status, 405);
  assert.equal(keystone.body.error.title, 'Method Not Allowed');
  const glance = await call('PUT', '/image/v2/images');
  assert.equal(glance.status, 405);
  assert.equal(glance.body.error.code, 405);
  const neutron = await call('DELETE', '/network/v2.0/networks');
  assert.equal(neutron.status, 405);
  assert.equal(neutron.body.NeutronError.type, 'HTTPMethodNotAllowed');
  const rpc = await call('GET', '/api/rpc/taskList');
  assert.equal(rpc.status, 405);
  assert.equal(rpc.body.code, 'MethodNotAllowed');
  assert.equal(rpc.allow, 'POST');

  const unknown = await call('GET', '/compute/v2.1/no-such-thing');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.itemNotFound.code, 404);
  assert.equal((await call('DELETE', '/api/nothing-here')).status, 404);
});
