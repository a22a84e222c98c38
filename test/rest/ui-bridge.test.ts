import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { dispatchToReply } from '../../main/api/rpc/dispatch';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server';

// Response bodies are checked field by field below; JSON.parse's own type keeps that terse.
type Json = ReturnType<typeof JSON.parse>;

async function rpc(ts: TestServer, method: string, input: unknown, token?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${ts.url}/api/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  });
  return { status: res.status, body: await res.json() };
}

/** Opens the event socket, authenticates with the first message, and collects what arrives. */
function openEvents(ts: TestServer, token: string): Promise<{ ws: WebSocket; events: Json[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${ts.url.replace('http', 'ws')}/api/events`);
    const events: Json[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.type === 'ready') resolve({ ws, events, closed });
      else events.push(msg);
    });
    ws.on('error', reject);
    closed.then(() => reject(new Error('closed before ready')));
  });
}

async function waitFor<T>(fn: () => T | undefined, what: string, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('UI bridge over HTTP and WebSocket (demo rack)', () => {
  let ts: TestServer;
  let token: string;
  before(async () => {
    ts = await startTestServer({ demo: true });
    const login = await rpc(ts, 'authLogin', { username: 'admin', password: ADMIN_PASSWORD });
    assert.equal(login.status, 200);
    token = login.body.token;
  });
  after(async () => ts.close());

  it('answers errors as the envelope with the matching HTTP status', async () => {
    let r = await rpc(ts, 'serverList', {});
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'Unauthorized');
    r = await rpc(ts, 'serverList', {}, 'not-a-token');
    assert.equal(r.status, 401);
    r = await rpc(ts, 'noSuchMethod', {}, token);
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'BadRequest');
    r = await rpc(ts, 'serverGet', { id: 5 }, token);
    assert.equal(r.status, 400);
    assert.ok(Array.isArray(r.body.details.issues));
    r = await rpc(ts, 'serverGet', { id: '../../etc/passwd' }, token);
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'NotFound');
    r = await rpc(ts, 'serverGet', '{"id":', token);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /not valid JSON/);
    const big = await fetch(`${ts.url}/api/rpc/serverList`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify({ ids: ['x'.repeat(2 * 1024 * 1024)] }) });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as { code: string }).code, 'PayloadTooLarge');
  });

  it('serves contract calls with a Keystone token from the REST API', async () => {
    const restToken = await ts.token();
    const r = await rpc(ts, 'session', {}, restToken);
    assert.equal(r.status, 200);
    assert.equal(r.body.userName, 'admin');
    assert.equal(r.body.isAdmin, true);
    const setup = await rpc(ts, 'setupStatus', {});
    assert.deepEqual(setup.body, { done: true, hostCount: 3, session: null });
    // Start-up learns who is signed in without a failing call: a valid token brings the session, a stale one none.
    const withToken = await rpc(ts, 'setupStatus', {}, restToken);
    assert.equal((withToken.body as { session: { userName: string } }).session.userName, 'admin');
    const stale = await rpc(ts, 'setupStatus', {}, 'not-a-token');
    assert.equal(stale.status, 200);
    assert.equal((stale.body as { session: unknown }).session, null);
  });

  it('pushes events to an authenticated socket, and closes one with a bad token', async () => {
    const { ws, events } = await openEvents(ts, token);
    const images = (await rpc(ts, 'imageList', {}, token)).body as Array<{ id: string; name: string }>;
    const flavors = (await rpc(ts, 'flavorList', {}, token)).body as Array<{ id: string; name: string }>;
    const created = await rpc(ts, 'serverCreate', { name: 'ws-vm', imageId: images[0].id, flavorId: flavors.find((f) => f.name === 'm1.tiny')!.id, networkIds: [] }, token);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = created.body[0].id;
    await waitFor(() => events.find((e) => e.type === 'resource' && e.kind === 'server' && e.id === id), 'a server event');
    await waitFor(() => events.find((e) => e.type === 'task' && e.task.resourceId === id && e.task.state === 'succeeded'), 'the build task to finish');
    ws.close();

    const bad = new WebSocket(`${ts.url.replace('http', 'ws')}/api/events`);
    const msgs: Json[] = [];
    bad.on('open', () => bad.send(JSON.stringify({ type: 'auth', token: 'forged' })));
    bad.on('message', (d) => msgs.push(JSON.parse(String(d))));
    const code = await new Promise<number>((r) => bad.on('close', (c) => r(c)));
    assert.equal(code, 4401);
    assert.equal(msgs[0]?.error?.code, 'Unauthorized');
  });

  it('revokes the token on authLogout', async () => {
    const login = await rpc(ts, 'authLogin', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' });
    const t = login.body.token as string;
    assert.equal((await rpc(ts, 'authLogout', {}, t)).status, 200);
    assert.equal((await rpc(ts, 'session', {}, t)).status, 401);
  });
});

describe('UI bridge first run (no demo)', () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ demo: false });
  });
  after(async () => ts.close());

  it('refuses setup without the printed admin password, then runs it once and refuses a second setup', async () => {
    assert.deepEqual((await rpc(ts, 'setupStatus', {})).body, { done: false, hostCount: 0, session: null });
    const bad = await rpc(ts, 'setupStart', { adminPassword: 'short', mode: 'empty', currentPassword: ADMIN_PASSWORD });
    assert.equal(bad.status, 400);
    // Anyone reaching the port could otherwise pick the admin password and take the control plane over.
    for (const attempt of [{}, { currentPassword: 'wrong-guess' }]) {
      const takeover = await rpc(ts, 'setupStart', { adminPassword: 'attacker-secret', mode: 'demo', ...attempt });
      assert.equal(takeover.status, 401, JSON.stringify(takeover.body));
      assert.equal(takeover.body.code, 'Unauthorized');
      assert.match(takeover.body.message, /Enter the admin password that `deskstack serve` printed when it first started/);
    }
    // Nothing changed: setup is still open and the printed password still signs in.
    assert.equal((await rpc(ts, 'setupStatus', {})).body.done, false);
    assert.ok(await ts.token('admin', ADMIN_PASSWORD));
    await assert.rejects(ts.token('admin', 'attacker-secret'));

    const ok = await rpc(ts, 'setupStart', { adminPassword: 'brand-new-secret', mode: 'empty', currentPassword: ADMIN_PASSWORD });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.session.userName, 'admin');
    assert.equal((await rpc(ts, 'session', {}, ok.body.token)).status, 200);
    assert.equal((await rpc(ts, 'setupStatus', {})).body.done, true);
    const again = await rpc(ts, 'setupStart', { adminPassword: 'attacker-secret', mode: 'demo', currentPassword: 'brand-new-secret' });
    assert.equal(again.status, 409);
    // The new password works through Keystone's own API; the old one no longer does.
    assert.ok(await ts.token('admin', 'brand-new-secret'));
    await assert.rejects(ts.token('admin', 'test-admin-secret'));
  });
});

describe('UI bridge first run from the desktop app (admin session)', () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ demo: false });
  });
  after(async () => ts.close());

  it('needs no printed password when the caller already is the local admin (the IPC path)', async () => {
    const reply = await dispatchToReply(ts.cp, ts.cp.identity.loginLocalAdmin(), 'setupStart', { adminPassword: 'desktop-secret', mode: 'empty' });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.ok(await ts.token('admin', 'desktop-secret'));
  });
});

describe('static UI', () => {
  let ts: TestServer;
  let uiDir: string;
  before(async () => {
    uiDir = mkdtempSync(join(tmpdir(), 'deskstack-ui-'));
    mkdirSync(join(uiDir, 'assets'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>DeskStack</title>');
    writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log(1)');
    ts = await startTestServer({ demo: false, uiDir });
  });
  after(async () => {
    await ts.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('serves files and the SPA fallback with a strict CSP, and leaves API paths alone', async () => {
    const root = await fetch(`${ts.url}/`);
    assert.equal(root.status, 200);
    assert.match(await root.text(), /DeskStack/);
    const csp = root.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    const js = await fetch(`${ts.url}/assets/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    const spa = await fetch(`${ts.url}/instances`, { headers: { accept: 'text/html' } });
    assert.equal(spa.status, 200);
    assert.match(await spa.text(), /DeskStack/);
    assert.equal((await fetch(`${ts.url}/assets/missing.js`)).status, 404);
    // A climbing path never reaches outside the UI folder: it is refused, or gets the SPA page.
    const climb = await fetch(`${ts.url}/%2e%2e/%2e%2e/etc/passwd`);
    assert.equal(climb.status, 404);
    const climbHtml = await fetch(`${ts.url}/%2e%2e/%2e%2e/etc/passwd`, { headers: { accept: 'text/html' } });
    assert.doesNotMatch(await climbHtml.text(), /root:/);
    const api = await fetch(`${ts.url}/compute/v2.1/nothing-here`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
  });
});
