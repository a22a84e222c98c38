import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeskError } from '../../main/core/errors';
import { bootAndSettle, computeFixture, memberOf } from './compute-helpers';

const rejects = (fn: () => unknown, code: string, message: string | RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DeskError, `expected a DeskError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });

test('a server goes BUILD → ACTIVE → SHUTOFF → ACTIVE → REBOOT → ACTIVE with instance actions recorded', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const res = await cp.compute.createServers(admin, { name: 'vm1', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] });
    const id = res.servers[0].id;
    assert.equal(res.servers[0].status, 'BUILD');
    assert.equal(res.servers[0].taskState, 'scheduling');
    await cp.compute.settled(id);
    let s = cp.compute.getServer(admin, id);
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s.powerState, 1);
    assert.equal(s.addresses[0].addr, '192.168.122.3');
    assert.match(s.addresses[0].mac, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.ok(s.hostName?.startsWith('demo-'));
    assert.ok(s.launchedAt);

    cp.compute.stopServer(admin, id);
    assert.equal(cp.compute.getServer(admin, id).taskState, 'powering-off');
    await cp.compute.settled(id);
    s = cp.compute.getServer(admin, id);
    assert.equal(s.status, 'SHUTOFF');
    assert.equal(s.powerState, 4);

    cp.compute.startServer(admin, id);
    await cp.compute.settled(id);
    assert.equal(cp.compute.getServer(admin, id).status, 'ACTIVE');

    cp.compute.rebootServer(admin, id, 'HARD');
    assert.equal(cp.compute.getServer(admin, id).status, 'HARD_REBOOT');
    await cp.compute.settled(id);
    cp.compute.rebootServer(admin, id, 'SOFT');
    assert.equal(cp.compute.getServer(admin, id).status, 'REBOOT');
    await cp.compute.settled(id);
    assert.equal(cp.compute.getServer(admin, id).status, 'ACTIVE');

    const console = await cp.compute.consoleOutput(admin, id);
    assert.ok(console.length > 0);

    const actions = cp.compute.listActions(admin, id);
    assert.deepEqual(actions.map((a) => a.action), ['reboot', 'reboot', 'start', 'stop', 'create']);
    const create = cp.compute.getAction(admin, id, actions[4].requestId);
    assert.deepEqual(create.events!.map((e) => [e.event, e.result]), [
      ['conductor_schedule_and_build_instances', 'Success'],
      ['compute__do_build_and_run_instance', 'Success'],
    ]);
  } finally {
    await f.close();
  }
});

test('invalid transitions answer 409 with Nova’s wording', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const s = await bootAndSettle(f, admin, 'vm');
    rejects(() => cp.compute.startServer(admin, s.id), 'Conflict', `Cannot 'start' instance ${s.id} while it is in vm_state active`);
    cp.compute.stopServer(admin, s.id);
    rejects(() => cp.compute.stopServer(admin, s.id), 'Conflict', `Cannot 'stop' instance ${s.id} while it is in task_state powering-off`);
    await cp.compute.settled(s.id);
    rejects(() => cp.compute.stopServer(admin, s.id), 'Conflict', `Cannot 'stop' instance ${s.id} while it is in vm_state stopped`);
    rejects(() => cp.compute.rebootServer(admin, s.id, 'SOFT'), 'Conflict', `Cannot 'reboot' instance ${s.id} while it is in vm_state stopped`);
    // A hard reboot of a stopped server is allowed, as in Nova.
    cp.compute.rebootServer(admin, s.id, 'HARD');
    await cp.compute.settled(s.id);
    assert.equal(cp.compute.getServer(admin, s.id).status, 'ACTIVE');
  } finally {
    await f.close();
  }
});

test('multiple create names servers name-1..n and shares one reservation id', async () => {
  const f = await computeFixture();
  try {
    const res = await f.cp.compute.createServers(f.admin, { name: 'web', imageRef: f.imageId, flavorRef: '1', minCount: 3, maxCount: 3, networks: [{ uuid: f.networkId }] });
    assert.deepEqual(res.servers.map((s) => s.name), ['web-1', 'web-2', 'web-3']);
    assert.deepEqual(res.servers.map((s) => s.launchIndex), [0, 1, 2]);
    assert.ok(res.servers.every((s) => s.reservationId === res.reservationId && /^r-[0-9a-f]{8}$/.test(s.reservationId)));
    for (const s of res.servers) await f.cp.compute.settled(s.id);
    const addrs = res.servers.map((s) => f.cp.compute.getServer(f.admin, s.id).addresses[0].addr);
    assert.equal(new Set(addrs).size, 3, 'each server has its own fixed IP');
    const single = await bootAndSettle(f, f.admin, 'solo', { minCount: 1, maxCount: 1 });
    assert.equal(single.name, 'solo');
  } finally {
    await f.close();
  }
});

test('scheduling failure puts the server in ERROR with the scheduler’s NoValidHost message as fault', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    cp.compute.quotas.update(admin.projectId, { ram: -1, cores: -1 });
    cp.compute.flavors.create({ id: 'huge', name: 'huge', vcpus: 2, ram: 500_000, disk: 10 });
    const res = await cp.compute.createServers(admin, { name: 'big', imageRef: f.imageId, flavorRef: 'huge', networks: [{ uuid: f.networkId }] });
    await cp.compute.settled(res.servers[0].id);
    const s = cp.compute.getServer(admin, res.servers[0].id);
    assert.equal(s.status, 'ERROR');
    assert.equal(s.fault?.code, 500);
    assert.match(s.fault!.message, /^No valid host was found\. /);
    for (const h of ['demo-1', 'demo-2', 'demo-3']) assert.match(s.fault!.message, new RegExp(`${h} rejected by \\w+`));
    assert.equal(cp.scheduler.allocationFor(s.id), undefined);
    assert.deepEqual(s.addresses, []);

    cp.compute.deleteServer(admin, s.id);
    await cp.compute.settled(s.id);
    assert.throws(() => cp.compute.getServer(admin, s.id), /could not be found/);
  } finally {
    await f.close();
  }
});

test('a driver failure ends in ERROR with the driver’s message, allocation and IP released; delete from ERROR works', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    cp.hosts.fakeRack.inject({ op: 'spawn', times: 1, message: 'qemu-img: disk full on /var/lib/libvirt' });
    const s = await bootAndSettle(f, admin, 'doomed');
    assert.equal(s.status, 'ERROR');
    assert.equal(s.fault!.code, 500);
    assert.match(s.fault!.message, /disk full on \/var\/lib\/libvirt/);
    assert.equal(cp.scheduler.allocationFor(s.id), undefined);
    assert.deepEqual(s.addresses, []);
    const usage = [...cp.scheduler.usage().values()];
    assert.ok(usage.every((u) => u.instances === 0), 'no host holds resources for the failed server');
    cp.compute.deleteServer(admin, s.id);
    await cp.compute.settled(s.id);
    assert.equal(cp.compute.listServers(admin).some((x) => x.id === s.id), false);
    const ok = await bootAndSettle(f, admin, 'fine');
    assert.equal(ok.status, 'ACTIVE');
    assert.equal(ok.addresses[0].addr, '192.168.122.3', 'lowest free address is reused once released');
  } finally {
    await f.close();
  }
});

test('delete during BUILD cancels the build and leaves nothing on the hosts', async () => {
  const f = await computeFixture({ delayScale: 1 });
  try {
    const { cp, admin } = f;
    const res = await cp.compute.createServers(admin, { name: 'slow', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] });
    const id = res.servers[0].id;
    await new Promise((r) => setTimeout(r, 50));
    cp.compute.deleteServer(admin, id);
    await cp.compute.settled(id);
    assert.throws(() => cp.compute.getServer(admin, id), /could not be found/);
    assert.equal(cp.scheduler.allocationFor(id), undefined);
    for (const h of cp.hosts.list()) {
      const found = await cp.hosts.driverFor(h.id).listInstances({ signal: AbortSignal.timeout(5000) });
      assert.equal(found.some((i) => i.id === id), false, `instance left on ${h.name}`);
    }
  } finally {
    await f.close();
  }
});

test('servers are project scoped: another project gets 404, admin lists all with all_tenants', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const mine = await bootAndSettle(f, admin, 'admin-vm');
    const other = await memberOf(cp, admin, 'blue');
    assert.throws(() => cp.compute.getServer(other, mine.id), (e: unknown) => e instanceof DeskError && e.code === 'NotFound');
    assert.throws(() => cp.compute.stopServer(other, mine.id), (e: unknown) => e instanceof DeskError && e.code === 'NotFound');
    assert.throws(() => cp.compute.deleteServer(other, mine.id), (e: unknown) => e instanceof DeskError && e.code === 'NotFound');
    assert.deepEqual(cp.compute.listServers(other), []);
    const theirs = await bootAndSettle(f, other, 'blue-vm');
    assert.equal(theirs.status, 'ACTIVE');
    assert.deepEqual(cp.compute.listServers(admin).map((s) => s.name), ['admin-vm']);
    assert.deepEqual(cp.compute.listServers(admin, { allTenants: true }).map((s) => s.name).sort(), ['admin-vm', 'blue-vm']);
    assert.deepEqual(cp.compute.listServers(other, { allTenants: true }).map((s) => s.name), ['blue-vm'], 'all_tenants is ignored for non-admins');
  } finally {
    await f.close();
  }
});
