import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { ControlPlane } from '../../main/control-plane';
import type { RequestContext } from '../../main/core/context';
import { bootAndSettle, computeFixture, crash, untilTaskState } from './compute-helpers';

const op = () => ({ signal: AbortSignal.timeout(10_000) });

function assertActionsClosed(cp: ControlPlane, admin: RequestContext, id: string): void {
  for (const a of cp.compute.listActions(admin, id)) {
    const detail = cp.compute.getAction(admin, id, a.requestId);
    assert.ok(detail.finishTime, `action ${a.action} is finished`);
    for (const e of detail.events ?? []) assert.ok(e.finishTime && e.result, `event ${e.event} of ${a.action} is closed with a result`);
  }
}

/** A control plane on a slow demo rack with one build caught spawning. */
async function spawningBuild(name: string) {
  const first = await computeFixture({ delayScale: 1 });
  const res = await first.cp.compute.createServers(first.admin, { name, imageRef: first.imageId, flavorRef: '1', networks: [{ uuid: first.networkId }] });
  const id = res.servers[0].id;
  await untilTaskState(first.cp, id, 'spawning');
  return { first, id };
}

test('a build interrupted by a crash starts again at the next start and ends ACTIVE, nothing orphaned', async () => {
  const { first, id } = await spawningBuild('crashy');
  const { cp, dataDir } = first;
  await crash(cp);

  const second = await computeFixture({ dataDir });
  try {
    await second.cp.compute.settled(id);
    const s = second.cp.compute.getServer(second.admin, id);
    assert.equal(s.status, 'ACTIVE', JSON.stringify(s.fault));
    assert.equal(s.taskState, null);
    assert.equal(s.addresses.length, 1);
    const onHosts: string[] = [];
    for (const h of second.cp.hosts.list()) {
      const found = await second.cp.hosts.driverFor(h.id).listInstances(op());
      if (found.some((i) => i.id === id)) onHosts.push(h.name);
    }
    assert.deepEqual(onHosts, [s.hostName], 'one instance, on the host the server names');
    assert.equal(second.cp.scheduler.allocationFor(id)?.hostId, s.hostId, 'one claim, on that host');
    const builds = second.cp.tasks.list({}).filter((t) => t.resourceId === id && t.kind === 'server.build');
    assert.deepEqual(builds.map((t) => t.state).sort(), ['interrupted', 'succeeded']);
    assertActionsClosed(second.cp, second.admin, id);
    // And the server can be deleted cleanly afterwards.
    second.cp.compute.deleteServer(second.admin, id);
    await second.cp.compute.settled(id);
    assert.equal(second.cp.scheduler.allocationFor(id), undefined);
  } finally {
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a build whose image went away while the control plane was down ends in ERROR with nothing held', async () => {
  const { first, id } = await spawningBuild('orphan');
  const { cp, dataDir } = first;
  cp.db.prepare("UPDATE images SET status = 'deleted' WHERE id = ?").run(first.imageId);
  await crash(cp);

  const second = await computeFixture({ dataDir });
  try {
    const s = second.cp.compute.getServer(second.admin, id);
    assert.equal(s.status, 'ERROR');
    assert.match(s.fault!.message, /interrupted.*cannot start again/);
    assert.equal(second.cp.scheduler.allocationFor(id), undefined);
    assertActionsClosed(second.cp, second.admin, id);
  } finally {
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

for (const how of ['a crash', 'a clean shutdown'] as const) {
  test(`accepted power actions interrupted by ${how} run again at the next start, their events closed`, async () => {
    const first = await computeFixture({ delayScale: 1 });
    const { cp, admin, dataDir } = first;
    const toStop = await bootAndSettle(first, admin, 'to-stop');
    const toStart = await bootAndSettle(first, admin, 'to-start');
    const toReboot = await bootAndSettle(first, admin, 'to-reboot');
    cp.compute.stopServer(admin, toStart.id);
    await cp.compute.settled(toStart.id);
    cp.compute.stopServer(admin, toStop.id);
    cp.compute.startServer(admin, toStart.id);
    cp.compute.rebootServer(admin, toReboot.id, 'HARD');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(cp.compute.getServer(admin, toStop.id).taskState, 'powering-off');
    if (how === 'a crash') await crash(cp);
    else await cp.close();

    const second = await computeFixture({ dataDir });
    try {
      for (const s of [toStop, toStart, toReboot]) await second.cp.compute.settled(s.id);
      const get = (id: string) => second.cp.compute.getServer(second.admin, id);
      assert.equal(get(toStop.id).status, 'SHUTOFF', JSON.stringify(get(toStop.id).fault));
      assert.equal(get(toStart.id).status, 'ACTIVE');
      assert.equal(get(toReboot.id).status, 'ACTIVE');
      for (const s of [toStop, toStart, toReboot]) {
        assert.equal(get(s.id).taskState, null);
        assert.equal(get(s.id).fault, null, 'a retried action that succeeded leaves no fault');
        assertActionsClosed(second.cp, second.admin, s.id);
      }
      const [stop] = second.cp.compute.listActions(second.admin, toStop.id);
      const events = second.cp.compute.getAction(second.admin, toStop.id, stop.requestId).events!;
      assert.deepEqual(events.map((e) => [e.event, e.result]), [['compute_stop_instance', 'Success']], 'the interrupted event itself is finished, not a second one');
      const info = await second.cp.hosts.driverFor(get(toStop.id).hostId!).getInfo(toStop.id, op());
      assert.equal(info.powerState, 'shutdown', 'the host really has it off');
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

test('power state sync at start-up follows the host, and unknown domains are left alone', async () => {
  const first = await computeFixture();
  const { cp, admin, dataDir } = first;
  const res = await cp.compute.createServers(admin, { name: 'drift', imageRef: first.imageId, flavorRef: '1', networks: [{ uuid: first.networkId }] });
  const id = res.servers[0].id;
  await cp.compute.settled(id);
  const s = cp.compute.getServer(admin, id);
  const driver = cp.hosts.driverFor(s.hostId!);
  // Someone powers the guest off on the host itself, and starts a domain DeskStack never made.
  await driver.powerOff(id, 0, op());
  const stranger = randomUUID();
  await driver.spawn(
    { id: stranger, name: 'stranger', hostname: 'stranger', vcpus: 1, memoryMb: 64, diskGb: 1, image: { id: first.imageId, path: '/dev/null', diskFormat: 'qcow2', sizeBytes: 0 }, nics: [], keys: [], metadata: {} },
    op(),
  );
  await cp.close();

  const second = await computeFixture({ dataDir });
  try {
    const after = second.cp.compute.getServer(second.admin, id);
    assert.equal(after.status, 'SHUTOFF');
    assert.equal(after.powerState, 4);
    const found = await second.cp.hosts.driverFor(s.hostId!).listInstances(op());
    assert.ok(found.some((i) => i.id === stranger), 'the unknown domain is left on its host, never deleted');
    assert.deepEqual(
      second.cp.compute.strayDomains().map((d) => d.id),
      [stranger],
      'the unknown domain is reported',
    );
  } finally {
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('while running, power sync follows the hosts, and a host that stops answering makes its servers UNKNOWN', async () => {
  process.env.DESKSTACK_HEALTH_DOWN_AFTER_MS = '1';
  const f = await computeFixture();
  const { cp, admin, dataDir } = f;
  try {
    const res = await cp.compute.createServers(admin, { name: 'watched', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] });
    const id = res.servers[0].id;
    await cp.compute.settled(id);
    const s = cp.compute.getServer(admin, id);
    // The guest powers itself off on its host: the next sync shows SHUTOFF without anyone asking.
    await cp.hosts.driverFor(s.hostId!).powerOff(id, 0, op());
    await cp.compute.syncNow();
    assert.equal(cp.compute.getServer(admin, id).status, 'SHUTOFF');

    cp.hosts.fakeRack.setHostDown(s.hostName!, true);
    await cp.hosts.checkHealth(); // the first miss starts the clock
    await new Promise((r) => setTimeout(r, 5));
    await cp.hosts.checkHealth();
    assert.equal(cp.hosts.get(s.hostId!).state, 'down');
    assert.equal(cp.compute.getServer(admin, id).status, 'UNKNOWN');

    cp.hosts.fakeRack.setHostDown(s.hostName!, false);
    await cp.hosts.checkHealth();
    assert.equal(cp.hosts.get(s.hostId!).state, 'up');
    assert.equal(cp.compute.getServer(admin, id).status, 'SHUTOFF');
  } finally {
    delete process.env.DESKSTACK_HEALTH_DOWN_AFTER_MS;
    await f.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an action accepted but never started before a crash is closed at the next start, marked Error', async () => {
  const first = await computeFixture();
  const { cp, admin, dataDir } = first;
  const s = await bootAndSettle(first, admin, 'abandoned');
  // The process died between recording the action and setting the task state.
  const actionId = cp.compute.actions.start(s.id, 'stop', admin);
  cp.compute.actions.eventStart(actionId, 'compute_stop_instance', s.hostName);
  await crash(cp);

  const second = await computeFixture({ dataDir });
  try {
    assertActionsClosed(second.cp, second.admin, s.id);
    const stop = second.cp.compute.listActions(second.admin, s.id).find((a) => a.action === 'stop')!;
    assert.equal(stop.message, 'Error');
    const detail = second.cp.compute.getAction(second.admin, s.id, stop.requestId);
    assert.match(detail.events![0].traceback ?? '', /stopped before this action could run/);
    assert.equal(second.cp.compute.getServer(second.admin, s.id).status, 'ACTIVE', 'the server itself is untouched');
  } finally {
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
