import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds, nova, waitStatus, type Json } from './compute-helpers';

interface ConsoleSession {
  ws: WebSocket;
  /** Every console byte so far, as text. */
  text(): string;
  /** Control messages (ready, error) in order. */
  control: Json[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens /api/console/:id, authenticating with the first message (or ?token= when asked). */
function openConsole(ts: TestServer, serverId: string, token: string, opts: { kind?: string; tokenInQuery?: boolean } = {}): ConsoleSession {
  const q = new URLSearchParams({ kind: opts.kind ?? 'serial', ...(opts.tokenInQuery ? { token } : {}) });
  const ws = new WebSocket(`${ts.url.replace('http', 'ws')}/api/console/${encodeURIComponent(serverId)}?${q}`);
  const chunks: Buffer[] = [];
  const control: Json[] = [];
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason) })));
  ws.on('open', () => {
    if (!opts.tokenInQuery) ws.send(JSON.stringify({ type: 'auth', token }));
  });
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) chunks.push(data);
    else control.push(JSON.parse(String(data)));
  });
  ws.on('error', () => {});
  return { ws, text: () => Buffer.concat(chunks).toString('utf8'), control, closed };
}

async function waitFor(fn: () => boolean, what: string, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('live console over WebSocket (demo rack)', () => {
  let ts: TestServer;
  let token: string;
  let serverId: string;

  before(async () => {
    ts = await startTestServer({ demo: true });
    token = await ts.token();
    const ids = demoIds(ts);
    const c = nova(ts, token);
    const r = await c.call('POST', '/servers', { server: { name: 'console-vm', imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] } });
    assert.equal(r.status, 202);
    serverId = r.body.server.id;
    await waitStatus(c, serverId, ['ACTIVE']);
  });
  after(async () => ts.close());

  it('serial replays the boot log, then a shell answers hostname', async () => {
    const con = openConsole(ts, serverId, token);
    await waitFor(() => con.control.some((m) => m.type === 'ready'), 'ready');
    await waitFor(() => con.text().includes('console-vm login:'), 'the replayed boot log');
    assert.match(con.text(), /Linux version 6\.1\.0/);
    await waitFor(() => con.text().includes('root@console-vm:~# '), 'the shell prompt');
    const before = con.text().length;
    con.ws.send(Buffer.from('hostname\r'));
    await waitFor(() => /hostname\r\nconsole-vm\r\n/.test(con.text().slice(before)), 'the answer to hostname');
    // Typed keys are echoed; backspace erases.
    con.ws.send(Buffer.from('whoamx\x7fi\r'));
    await waitFor(() => con.text().slice(before).includes('\r\nroot\r\n'), 'the answer to whoami');
    con.ws.close(1000);
    assert.equal((await con.closed).code, 1000);
    // Closing the console detaches only: the guest keeps running.
    const s = await nova(ts, token).call('GET', `/servers/${serverId}`);
    assert.equal(s.body.server.status, 'ACTIVE');
  });

  it('accepts the token in the query string too', async () => {
    const con = openConsole(ts, serverId, token, { tokenInQuery: true });
    await waitFor(() => con.text().includes('root@console-vm:~# '), 'the shell prompt');
    con.ws.close(1000);
    await con.closed;
  });

  it('refuses a bad token, an unknown server and another project', async () => {
    const bad = openConsole(ts, serverId, 'not-a-token');
    const badClose = await bad.closed;
    assert.equal(badClose.code, 4401);
    assert.equal(bad.control[0]?.error?.code, 'Unauthorized');

    const missing = openConsole(ts, '00000000-0000-0000-0000-000000000000', token);
    assert.equal((await missing.closed).code, 4404);
    assert.equal(missing.control[0]?.error?.code, 'NotFound');

    const admin = ts.cp.identity.loginLocalAdmin();
    const project = ts.cp.identity.createProject(admin, { name: 'elsewhere' });
    const user = await ts.cp.identity.createUser(admin, { name: 'eve', password: 'eve-password-1' });
    ts.cp.identity.assignRole(admin, { userId: user.id, projectId: project.id, roleId: ts.cp.identity.roleByName('member')!.id });
    const eve = openConsole(ts, serverId, await ts.token('eve', 'eve-password-1', 'elsewhere'));
    assert.equal((await eve.closed).code, 4404);
    assert.equal(eve.text(), '', 'no console byte reaches another project');
  });

  it('vnc on the demo rack is refused with a clear error; a bad kind is a 4400', async () => {
    const vnc = openConsole(ts, serverId, token, { kind: 'vnc' });
    const closed = await vnc.closed;
    assert.equal(closed.code, 4503);
    assert.equal(vnc.control[0]?.error?.code, 'Unavailable');
    assert.match(vnc.control[0]?.error?.message, /no graphical console; use the serial console/);

    const odd = openConsole(ts, serverId, token, { kind: '$(reboot)' });
    assert.equal((await odd.closed).code, 4400);
  });

  it('a stopped server has no live console, and stopping ends an open one', async () => {
    const con = openConsole(ts, serverId, token);
    await waitFor(() => con.text().includes('root@console-vm:~# '), 'the shell prompt');
    const c = nova(ts, token);
    assert.equal((await c.call('POST', `/servers/${serverId}/action`, { 'os-stop': null })).status, 202);
    await waitStatus(c, serverId, ['SHUTOFF']);
    const end = await con.closed;
    assert.equal(end.code, 1000);
    assert.match(con.text(), /powered off; console closed/);

    const again = openConsole(ts, serverId, token);
    assert.equal((await again.closed).code, 4409);
    assert.match(again.control[0]?.error?.message, /start it to open a live console/);
  });
});
