// The app's console path (MessagePort over IPC) against the demo rack. Node's MessageChannel
// stands in for Electron's: the same structured-clone port, with its event shape adapted.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { serveConsolePort, type ConsolePort } from '../../main/api/console/port-bridge';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds } from './compute-helpers';

/** Electron's MessagePortMain delivers { data }; Node's port delivers the value itself. */
function asMainPort(p: MessagePort): ConsolePort {
  return {
    postMessage: (m) => p.postMessage(m),
    on: (event: 'message' | 'close', listener: (e: { data: unknown }) => void) =>
      event === 'message' ? p.on('message', (data) => listener({ data })) : p.on('close', () => (listener as () => void)()),
    start: () => p.start(),
    close: () => p.close(),
  } as ConsolePort;
}

type Msg = { type: string; bytes?: Uint8Array; error?: { code: string; message: string } };

async function until(fn: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('live console over a MessagePort (the desktop app)', () => {
  let ts: TestServer;
  let serverId: string;
  before(async () => {
    ts = await startTestServer({ demo: true });
    const admin = ts.cp.identity.loginLocalAdmin();
    const ids = demoIds(ts);
    const r = await ts.cp.compute.createServers(admin, { name: 'app-console', imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] });
    serverId = r.servers[0].id;
    await ts.cp.compute.settled(serverId);
  });
  after(async () => ts.close());

  it('attaches, answers a command, and ends cleanly when the window closes it', async () => {
    const { port1, port2 } = new MessageChannel();
    const got: Msg[] = [];
    port1.on('message', (m: Msg) => got.push(m));
    await serveConsolePort(ts.cp, ts.cp.identity.loginLocalAdmin(), asMainPort(port2), { serverId, kind: 'serial' });
    const text = () => Buffer.concat(got.filter((m) => m.type === 'data').map((m) => Buffer.from(m.bytes!))).toString();
    await until(() => text().includes('root@app-console:~# '), 'the prompt');
    assert.equal(got[0].type, 'ready');
    port1.postMessage({ type: 'data', bytes: new TextEncoder().encode('uname -a\r') });
    await until(() => text().includes('Linux app-console 6.1.0'), 'the answer to uname');
    port1.postMessage({ type: 'close' });
    await until(() => got.some((m) => m.type === 'end'), 'the end message');
    port1.close();
  });

  it('refuses bad requests and the demo rack\'s VNC with an envelope', async () => {
    for (const [req, code] of [
      [{ serverId, kind: 'vnc' }, 'Unavailable'],
      [{ serverId: '../../etc', kind: 'serial' }, 'NotFound'],
      [{ serverId, kind: '$(reboot)' }, 'BadRequest'],
      [null, 'BadRequest'],
    ] as const) {
      const { port1, port2 } = new MessageChannel();
      const got: Msg[] = [];
      port1.on('message', (m: Msg) => got.push(m));
      await serveConsolePort(ts.cp, ts.cp.identity.loginLocalAdmin(), asMainPort(port2), req);
      await until(() => got.length > 0, 'a reply');
      assert.equal(got[0].type, 'error');
      assert.equal(got[0].error!.code, code, JSON.stringify(req));
      port1.close();
    }
  });

  it('destroys the console stream when the window closes the port while the console opens', async () => {
    const driver = ts.cp.hosts.driverFor(ts.cp.compute.getServer(ts.cp.identity.loginLocalAdmin(), serverId).hostId!);
    const { port1, port2 } = new MessageChannel();
    const portClosed = once(port2, 'close');
    const realOpen = driver.openConsole.bind(driver);
    let stream: Duplex | undefined;
    driver.openConsole = async (id, kind, op) => {
      stream = await realOpen(id, kind, op);
      port1.close(); // the renderer gives up before the open returns
      await portClosed;
      return stream;
    };
    try {
      await serveConsolePort(ts.cp, ts.cp.identity.loginLocalAdmin(), asMainPort(port2), { serverId, kind: 'serial' });
    } finally {
      driver.openConsole = realOpen;
    }
    assert.ok(stream, 'the driver opened a console');
    assert.equal(stream.destroyed, true, 'the console stream is not left open');
  });
});
