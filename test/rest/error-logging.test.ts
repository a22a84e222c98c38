// A 500 tells the client "see the log": the control plane's log must then hold the error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { buildHttpServer } from '../../main/api/http/server';
import { createControlPlane } from '../../main/control-plane';
import { createLogger } from '../../main/core/log';
import { startTestServer, type TestServer } from '../helpers/test-server';

type Json = ReturnType<typeof JSON.parse>;

describe('unexpected errors reach the control plane log', () => {
  let ts: TestServer;
  let lines: string[];
  let token: string;
  before(async () => {
    lines = [];
    const sink = new PassThrough();
    sink.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
    ts = await startTestServer({ demo: false, logger: createLogger('info', sink) });
    token = await ts.token();
    // A fault below the API layer: the settings table is gone, so any read of it throws a plain SqliteError.
    ts.cp.db.exec('DROP TABLE settings');
  });
  after(async () => ts.close());

  const logged = async (): Promise<Json[]> => {
    await new Promise((r) => setImmediate(r));
    return lines.map((l) => JSON.parse(l)).filter((e) => e.msg === 'request failed unexpectedly');
  };

  it('logs a UI bridge failure with its method and path, and answers with the generic envelope', async () => {
    const res = await fetch(`${ts.url}/api/rpc/setupStatus?token=query-secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: JSON.stringify({}),
    });
    assert.equal(res.status, 500);
    const body = await res.json();
    assert.equal(body.code, 'Internal');
    assert.match(body.message, /see the log/);
    const entries = await logged();
    assert.equal(entries.length, 1, lines.join('\n'));
    assert.equal(entries[0].level, 50);
    assert.equal(entries[0].method, 'POST');
    assert.equal(entries[0].url, '/api/rpc/setupStatus');
    assert.equal(entries[0].rpcMethod, 'setupStatus');
    assert.match(entries[0].err.message, /settings/);
    assert.ok(entries[0].err.stack, 'the stack is logged for the operator');
    const all = lines.join('\n');
    assert.ok(!all.includes(token) && !all.includes('query-secret'), 'tokens never reach the log');
  });
});

describe('unexpected errors on the REST APIs', () => {
  it('logs a route that throws a plain Error, and answers with the service-style 500', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-errlog-'));
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
    const cp = await createControlPlane({ dataDir, adminPassword: 'errlog-secret', config: { fakeDelayScale: 0 }, logger: createLogger('info', sink) });
    const app = await buildHttpServer(cp, { bindHost: '127.0.0.1' });
    app.get('/compute/v2.1/os-kaboom', async () => {
      throw new Error('kaboom: disk on fire');
    });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/compute/v2.1/os-kaboom?password=query-secret`, { headers: { 'x-auth-token': 'header-secret' } });
      assert.equal(res.status, 500);
      const body = await res.json();
      assert.equal(body.computeFault.code, 500);
      assert.doesNotMatch(body.computeFault.message, /kaboom/, 'internals stay in the log');
      await new Promise((r) => setImmediate(r));
      const entries = lines.map((l) => JSON.parse(l)).filter((e) => e.msg === 'request failed unexpectedly');
      assert.equal(entries.length, 1, lines.join('\n'));
      assert.equal(entries[0].method, 'GET');
      assert.equal(entries[0].url, '/compute/v2.1/os-kaboom');
      assert.equal(entries[0].err.message, 'kaboom: disk on fire');
      const all = lines.join('\n');
      assert.ok(!all.includes('header-secret') && !all.includes('query-secret'), 'tokens and query strings never reach the log');
    } finally {
      await app.close();
      await cp.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
