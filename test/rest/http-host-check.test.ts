// DNS rebinding: a loopback-bound server answers only loopback Host names and the public URL's.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { checkHostHeader, hostNameOf } from '../../main/api/http/host-check';
import { DeskError } from '../../main/core/errors';
import { startTestServer, type TestServer } from '../helpers/test-server';

type Json = ReturnType<typeof JSON.parse>;

/** fetch() cannot set Host; node:http can (a fresh connection each: the upgrade request leaves its socket unusable). */
function get(ts: TestServer, path: string, host: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: Json }> {
  const port = Number(new URL(ts.url).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false, headers: { host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.setTimeout(5000, () => reject(new Error(`no answer for ${method} ${path} Host ${host}`)));
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('Host header check on a loopback-bound server', () => {
  let ts: TestServer;
  let port: string;
  before(async () => {
    ts = await startTestServer({ demo: false });
    port = new URL(ts.url).port;
  });
  after(async () => ts.close());

  it('answers loopback names and addresses with any port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const r = await get(ts, '/identity/v3', host);
      assert.equal(r.status, 200, `${host}: ${JSON.stringify(r.body)}`);
    }
  });

  it('refuses other names with an OpenStack-style 400, on the REST APIs and the UI bridge', async () => {
    const r = await get(ts, '/identity/v3', `evil.example:${port}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 400);
    assert.equal(r.body.error.title, 'Bad Request');
    assert.match(r.body.error.message, /Host header evil\.example:\d+ is not allowed: DeskStack listens on loopback; start it with --host\/--public-url/);
    const nova = await get(ts, '/compute/v2.1/servers', 'attacker.test');
    assert.equal(nova.status, 400);
    assert.match(nova.body.badRequest.message, /Host header attacker\.test is not allowed/);
    const rpc = await get(ts, '/api/rpc/setupStatus', `rebind.attacker.test:${port}`, { 'content-type': 'application/json' }, 'POST');
    assert.equal(rpc.status, 400);
    assert.match(JSON.stringify(rpc.body), /Host header rebind\.attacker\.test:\d+ is not allowed/);
    // A WebSocket upgrade goes through the same check.
    const ws = await get(ts, '/api/events', 'evil.example', { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' });
    assert.equal(ws.status, 400);
    for (const host of ['127.0.0.1.evil.example', 'localhost.evil.example', '127.0.0.1@evil.example']) {
      assert.equal((await get(ts, '/identity/v3', host)).status, 400, host);
    }
  });

  it("answers the public URL's host name", async () => {
    const before = ts.cp.publicUrl;
    ts.cp.publicUrl = 'http://deskstack.lan:5000';
    try {
      assert.equal((await get(ts, '/identity/v3', 'deskstack.lan:5000')).status, 200);
      assert.equal((await get(ts, '/identity/v3', 'other.lan:5000')).status, 400);
    } finally {
      ts.cp.publicUrl = before;
    }
  });
});

describe('checkHostHeader', () => {
  it('does not check servers bound to other addresses, and parses Host names', () => {
    assert.doesNotThrow(() => checkHostHeader('0.0.0.0', 'http://10.0.0.5:5000', 'anything.example'));
    assert.doesNotThrow(() => checkHostHeader(undefined, 'http://127.0.0.1:1', 'anything.example'));
    assert.throws(() => checkHostHeader('::1', 'http://[::1]:1', 'evil.example'), (e: unknown) => e instanceof DeskError && e.code === 'BadRequest');
    assert.throws(() => checkHostHeader('127.0.0.1', 'http://127.0.0.1:1', undefined), (e: unknown) => e instanceof DeskError && /\(missing\)/.test(e.message));
    assert.equal(hostNameOf('[::1]:8080'), '::1');
    assert.equal(hostNameOf('LocalHost.:80'), 'localhost');
    assert.equal(hostNameOf('a b'), null);
  });
});
