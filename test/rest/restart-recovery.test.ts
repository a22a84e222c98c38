// The control plane killed (SIGKILL) with a stop acknowledged and a build under way: after a restart
// the stop has happened (SHUTOFF), the build has finished (ACTIVE), and no instance-action event is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../helpers/api-client';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';

const PASSWORD = 'restart-admin-secret';
const MICROVERSION = { 'OpenStack-API-Version': 'compute 2.79' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function serverWhen(api: ApiClient, id: string, ok: (s: any) => boolean, what: string, timeoutMs = 60_000): Promise<any> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    const r = await api.rest('GET', `/compute/v2.1/servers/${id}`, undefined, MICROVERSION);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    last = r.body.server;
    if (ok(r.body.server)) return r.body.server;
    await sleep(100);
  }
  throw new Error(`server ${id} never ${what}; last seen ${JSON.stringify(last)}`);
}

async function assertEventsClosed(api: ApiClient, id: string): Promise<Array<{ action: string; events: Array<{ event: string; result: string }> }>> {
  const list = await api.rest('GET', `/compute/v2.1/servers/${id}/os-instance-actions`, undefined, MICROVERSION);
  assert.equal(list.status, 200);
  const out = [];
  for (const a of list.body.instanceActions) {
    const d = await api.rest('GET', `/compute/v2.1/servers/${id}/os-instance-actions/${a.request_id}`, undefined, MICROVERSION);
    const action = d.body.instanceAction;
    for (const e of action.events) assert.ok(e.finish_time && e.result, `${action.action}: event ${e.event} is still open: ${JSON.stringify(e)}`);
    out.push({ action: action.action, events: action.events });
  }
  return out;
}

test('a stop acknowledged and a build under way survive a SIGKILL of serve: SHUTOFF and ACTIVE after restart', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-restart-'));
  // Slow demo rack: a graceful stop takes 3 s, a spawn 3–9 s, so the kill lands mid-way.
  let serve: ServeProcess = await startServeProcess({ dataDir, demo: true, env: { DESKSTACK_ADMIN_PASSWORD: PASSWORD, DESKSTACK_FAKE_DELAY_SCALE: '3' } });
  try {
    let api = await ApiClient.login(serve.url, PASSWORD);
    const image = (await api.rest('GET', '/image/v2/images?name=cirros-0.3.4-x86_64-uec')).body.images[0].id;
    const net = (await api.rest('GET', '/network/v2.0/networks?name=private')).body.networks[0].id;
    const create = async (name: string) => {
      const r = await api.rest('POST', '/compute/v2.1/servers', { server: { name, imageRef: image, flavorRef: '1', networks: [{ uuid: net }] } }, MICROVERSION);
      assert.equal(r.status, 202, JSON.stringify(r.body));
      return r.body.server.id as string;
    };
    const stopped = await create('stop-me');
    await serverWhen(api, stopped, (s) => s.status === 'ACTIVE', 'became ACTIVE');

    const stop = await api.rest('POST', `/compute/v2.1/servers/${stopped}/action`, { 'os-stop': null }, MICROVERSION);
    assert.equal(stop.status, 202);
    const built = await create('build-me');
    await serverWhen(api, stopped, (s) => s['OS-EXT-STS:task_state'] === 'powering-off', 'was powering off');
    await serverWhen(api, built, (s) => s['OS-EXT-STS:task_state'] === 'spawning', 'was spawning');
    await serve.kill();

    serve = await startServeProcess({ dataDir, demo: true, env: { DESKSTACK_ADMIN_PASSWORD: PASSWORD, DESKSTACK_FAKE_DELAY_SCALE: '0.2' } });
    api = await ApiClient.login(serve.url, PASSWORD);
    const off = await serverWhen(api, stopped, (s) => s['OS-EXT-STS:task_state'] === null && s.status !== 'ACTIVE', 'settled after the restart');
    assert.equal(off.status, 'SHUTOFF', JSON.stringify(off.fault));
    assert.equal(off['OS-EXT-STS:power_state'], 4);
    const up = await serverWhen(api, built, (s) => s['OS-EXT-STS:task_state'] === null, 'settled after the restart');
    assert.equal(up.status, 'ACTIVE', JSON.stringify(up.fault));
    assert.equal(Object.values(up.addresses).flat().length, 1, 'one fixed address, not one per attempt');

    const stopActions = await assertEventsClosed(api, stopped);
    const stopAction = stopActions.find((a) => a.action === 'stop')!;
    assert.deepEqual(stopAction.events.map((e) => [e.event, e.result]), [['compute_stop_instance', 'Success']]);
    const buildActions = await assertEventsClosed(api, built);
    assert.deepEqual(buildActions.map((a) => a.action), ['create']);
  } finally {
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
