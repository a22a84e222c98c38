// The Tasks panel's Cancel on server work: a build may be cancelled (it ends in ERROR with all it held
// given back); power actions and deletes are not offered and are refused with a clear Conflict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch } from '../../main/api/rpc/dispatch';
import { DeskError } from '../../main/core/errors';
import type { ControlPlane } from '../../main/control-plane';
import { bootAndSettle, computeFixture, untilTaskState } from './compute-helpers';

const op = () => ({ signal: AbortSignal.timeout(10_000) });

function usage(cp: ControlPlane): { vcpus: number; ram: number; disk: number; vms: number } {
  return cp.compute.hypervisors().reduce((u, h) => ({ vcpus: u.vcpus + h.vcpusUsed, ram: u.ram + h.memoryMbUsed, disk: u.disk + h.localGbUsed, vms: u.vms + h.runningVms }), { vcpus: 0, ram: 0, disk: 0, vms: 0 });
}

function taskOf(cp: ControlPlane, serverId: string, kind: string) {
  const task = cp.tasks.list({}).find((t) => t.resourceId === serverId && t.kind === kind);
  assert.ok(task, `no ${kind} task for ${serverId}`);
  return task;
}

test('a build cancelled from the Tasks panel ends in ERROR, saying so, with everything it held given back', async () => {
  const f = await computeFixture({ delayScale: 1 });
  try {
    const before = usage(f.cp);
    const res = await f.cp.compute.createServers(f.admin, { name: 'cancel-me', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] });
    const id = res.servers[0].id;
    await untilTaskState(f.cp, id, 'spawning');
    const building = f.cp.compute.getServer(f.admin, id);
    assert.ok(f.cp.scheduler.allocationFor(id), 'the build holds a claim while spawning');
    assert.equal(building.addresses.length, 1);
    assert.notDeepEqual(usage(f.cp), before);

    const task = taskOf(f.cp, id, 'server.build');
    assert.equal(task.cancellable, true, 'the task view offers Cancel for a build');
    assert.deepEqual(await dispatch(f.cp, f.admin, 'taskCancel', { id: task.id }), { cancelled: true });
    await f.cp.compute.settled(id);

    const s = f.cp.compute.getServer(f.admin, id);
    assert.equal(s.status, 'ERROR');
    assert.equal(s.taskState, null);
    assert.match(s.fault!.message, /cancelled by the user/);
    assert.deepEqual(s.addresses, []);
    assert.equal(f.cp.scheduler.allocationFor(id), undefined, 'the claim is released');
    assert.deepEqual(usage(f.cp), before, `hypervisor usage is back to what it was before the build: ${JSON.stringify([usage(f.cp), before])}`);
    assert.equal(f.cp.db.prepare('SELECT COUNT(*) FROM fixed_ips WHERE server_id = ?').pluck().get(id), 0, 'fixed IPs are released');
    for (const h of f.cp.hosts.list()) {
      const found = await f.cp.hosts.driverFor(h.id).listInstances(op());
      assert.ok(!found.some((i) => i.id === id), `the half-made instance is gone from ${h.name}`);
    }
    assert.equal(f.cp.tasks.get(task.id).state, 'cancelled');
    const [create] = f.cp.compute.listActions(f.admin, id);
    const detail = f.cp.compute.getAction(f.admin, id, create.requestId);
    assert.ok(detail.finishTime, 'the create action is finished');
    assert.ok(detail.events!.every((e) => e.finishTime !== null), 'no event stays open');

    // The ERROR server deletes cleanly.
    f.cp.compute.deleteServer(f.admin, id);
    await f.cp.compute.settled(id);
    assert.deepEqual(usage(f.cp), before);
  } finally {
    await f.close();
  }
});

test('power actions and deletes are not offered for cancel, and taskCancel refuses them with a Conflict', async () => {
  const f = await computeFixture({ delayScale: 1 });
  try {
    const s = await bootAndSettle(f, f.admin, 'no-cancel');
    f.cp.compute.stopServer(f.admin, s.id);
    const stop = taskOf(f.cp, s.id, 'server.stop');
    assert.equal(stop.cancellable, false);
    await assert.rejects(dispatch(f.cp, f.admin, 'taskCancel', { id: stop.id }), (e: unknown) => e instanceof DeskError && e.code === 'Conflict' && /cannot be cancelled safely/.test(e.message));
    await f.cp.compute.settled(s.id);
    assert.equal(f.cp.compute.getServer(f.admin, s.id).status, 'SHUTOFF', 'the refused cancel left the stop to finish');
    await assert.rejects(dispatch(f.cp, f.admin, 'taskCancel', { id: stop.id }), (e: unknown) => e instanceof DeskError && e.code === 'Conflict' && /already ended/.test(e.message));

    f.cp.compute.deleteServer(f.admin, s.id);
    const del = taskOf(f.cp, s.id, 'server.delete');
    assert.equal(del.cancellable, false);
    await assert.rejects(dispatch(f.cp, f.admin, 'taskCancel', { id: del.id }), (e: unknown) => e instanceof DeskError && e.code === 'Conflict');
    await f.cp.compute.settled(s.id);
  } finally {
    await f.close();
  }
});
