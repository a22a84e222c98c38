import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { computeFixture } from './compute-helpers';

const op = () => ({ signal: AbortSignal.timeout(10_000) });

test('a crash mid-build is reconciled at the next start: ACTIVE or ERROR, nothing orphaned', async () => {
  const first = await computeFixture({ delayScale: 1 });
  const { cp, admin, dataDir } = first;
  const res = await cp.compute.createServers(admin, { name: 'crashy', imageRef: first.imageId, flavorRef: '1', networks: [{ uuid: first.networkId }] });
  const id = res.servers[0].id;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(cp.compute.getServer(admin, id).taskState, 'spawning');

  // Simulated crash: the database goes away under the running build, which never finishes.
  cp.db.close();
  cp.tasks.abortAll();
  await cp.compute.stop();
  await cp.hosts.stop();

  const second = await computeFixture({ dataDir });
  try {
    const s = second.cp.compute.getServer(second.admin, id);
    assert.equal(s.taskState, null);
    assert.ok(['ACTIVE', 'ERROR'].includes(s.status), `unexpected status ${s.status}`);
    const onHosts: string[] = [];
    for (const h of second.cp.hosts.list()) {
      const found = await second.cp.hosts.driverFor(h.id).listInstances(op());
      if (found.some((i) => i.id === id)) onHosts.push(h.name);
    }
    const alloc = second.cp.scheduler.allocationFor(id);
    if (s.status === 'ERROR') {
      assert.match(s.fault!.message, /interrupted|missing/);
      assert.equal(alloc, undefined, 'an ERROR server holds no allocation');
      assert.deepEqual(onHosts, [], 'no half-built instance is left on a host');
    } else {
      assert.ok(alloc, 'an ACTIVE server keeps its allocation');
      assert.deepEqual(onHosts, [s.hostName]);
    }
    const tasks = second.cp.tasks.list({}).filter((t) => t.resourceId === id && t.kind === 'server.build');
    assert.equal(tasks[0].state, 'interrupted');
    // And the server can be deleted cleanly afterwards.
    second.cp.compute.deleteServer(second.admin, id);
    await second.cp.compute.settled(id);
    assert.equal(second.cp.scheduler.allocationFor(id), undefined);
  } finally {
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

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
    { id: stranger, name: 'stranger', hostname: 'stranger', vcpus: 1, memoryMb: 64, diskGb: 1, image: { id: first.imageId, path: '/dev/null', diskFormat: 'qcow2', sizeBytes: 0 }, nics: [], publicKeys: [], metadata: {} },
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
