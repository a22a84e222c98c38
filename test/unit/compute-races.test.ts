// Races between a server's tasks and the rest of the control plane: power sync, concurrent power
// actions and a forced host remove must never undo or overwrite a newer state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch } from '../../main/api/rpc/dispatch';
import { DeskError } from '../../main/core/errors';
import type { HostDriver, InstanceInfo, InstanceSpec, OpContext } from '../../main/drivers/types';
import { bootAndSettle, computeFixture, type ComputeFixture } from './compute-helpers';

/** Every host's spawn finishes on the host, then waits for release before answering (a slow SSH reply). */
function holdSpawns(cp: ComputeFixture['cp']): { spawned: ReturnType<typeof gate>; release: ReturnType<typeof gate> } {
  const spawned = gate();
  const release = gate();
  for (const h of cp.hosts.list()) {
    const d: HostDriver = cp.hosts.driverFor(h.id);
    const real = d.spawn.bind(d);
    d.spawn = async (spec: InstanceSpec, op: OpContext) => {
      await real(spec, op);
      spawned.open();
      await release.wait;
    };
  }
  return { spawned, release };
}

/** A promise with its resolver, to hold a real driver call at a chosen point. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/** Every host's listInstances answers, then waits for `release` before returning (a slow SSH round trip). */
function slowListings(f: ComputeFixture, release: Promise<void>): Promise<void> {
  const listed = gate();
  for (const h of f.cp.hosts.list()) {
    const d: HostDriver = f.cp.hosts.driverFor(h.id);
    const real = d.listInstances.bind(d);
    d.listInstances = async (op: OpContext): Promise<InstanceInfo[]> => {
      const out = await real(op);
      listed.open();
      await release;
      return out;
    };
  }
  return listed.wait;
}

test('a power sync racing a build does not fail the server that just became ACTIVE', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const release = gate();
    const listed = slowListings(f, release.wait);
    const sync = cp.compute.syncNow();
    await listed; // every host has been listed with no instance on it
    const res = await cp.compute.createServers(admin, { name: 'fresh', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] });
    const id = res.servers[0].id;
    await cp.compute.settled(id);
    assert.equal(cp.compute.getServer(admin, id).status, 'ACTIVE');
    release.open();
    await sync;
    const s = cp.compute.getServer(admin, id);
    assert.equal(s.status, 'ACTIVE', `sync failed a fresh server: ${s.fault?.message}`);
    assert.ok(cp.scheduler.allocationFor(id), 'the allocation is kept');
    assert.equal(s.addresses.length, 1, 'the IP is kept');
  } finally {
    await f.close();
  }
});

test('a power sync racing a stop does not flip the stopped server back to ACTIVE', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const s = await bootAndSettle(f, admin, 'stopping');
    const release = gate();
    const listed = slowListings(f, release.wait);
    const sync = cp.compute.syncNow();
    await listed; // the host reported the guest running
    cp.compute.stopServer(admin, s.id);
    await cp.compute.settled(s.id);
    release.open();
    await sync;
    const after = cp.compute.getServer(admin, s.id);
    assert.equal(after.status, 'SHUTOFF');
    assert.equal(after.powerState, 4);
  } finally {
    await f.close();
  }
});

test('power actions while a task runs: HARD reboot interrupts a soft one, everything else is 409', async () => {
  const f = await computeFixture({ delayScale: 1 });
  try {
    const { cp, admin } = f;
    const s = await bootAndSettle(f, admin, 'busy');
    const conflictOn = (fn: () => void, state: string) =>
      assert.throws(fn, (e: unknown) => e instanceof DeskError && e.code === 'Conflict' && e.message.endsWith(`task_state ${state}`));

    cp.compute.rebootServer(admin, s.id, 'SOFT');
    conflictOn(() => cp.compute.rebootServer(admin, s.id, 'SOFT'), 'rebooting');
    conflictOn(() => cp.compute.stopServer(admin, s.id), 'rebooting');
    const soft = cp.tasks.list({}).find((t) => t.resourceId === s.id && t.kind === 'server.reboot')!;

    cp.compute.rebootServer(admin, s.id, 'HARD');
    assert.equal(cp.compute.getServer(admin, s.id).status, 'HARD_REBOOT');
    conflictOn(() => cp.compute.rebootServer(admin, s.id, 'HARD'), 'rebooting_hard');
    conflictOn(() => cp.compute.rebootServer(admin, s.id, 'SOFT'), 'rebooting_hard');
    await cp.compute.settled(s.id);

    assert.equal(cp.tasks.get(soft.id).state, 'cancelled', 'the soft reboot was stopped, not left running');
    const reboots = cp.tasks.list({}).filter((t) => t.resourceId === s.id && t.kind === 'server.reboot');
    assert.deepEqual(reboots.map((t) => t.state).sort(), ['cancelled', 'succeeded']);
    const after = cp.compute.getServer(admin, s.id);
    assert.equal(after.status, 'ACTIVE');
    assert.equal(after.taskState, null);
    assert.equal(after.fault, null);
  } finally {
    await f.close();
  }
});

test('a forced host remove during a build leaves the server in ERROR, never ACTIVE without a host', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    // The domain is up on the host, but the answer reaches us only when the test releases it.
    const { spawned, release } = holdSpawns(cp);
    const res = await cp.compute.createServers(admin, { name: 'orphan', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] });
    const id = res.servers[0].id;
    await spawned.wait;
    const hostId = cp.compute.getServer(admin, id).hostId!;
    assert.equal(cp.compute.getServer(admin, id).taskState, 'spawning');
    assert.deepEqual(await dispatch(cp, admin, 'hostRemove', { id: hostId, force: true }), { ok: true });
    release.open();
    await cp.compute.settled(id);
    const s = cp.compute.getServer(admin, id);
    assert.equal(s.status, 'ERROR');
    assert.equal(s.hostId, null);
    assert.equal(s.taskState, null);
    assert.match(s.fault!.message, /was removed while this server was on it/);
    const build = cp.tasks.list({}).find((t) => t.resourceId === id && t.kind === 'server.build')!;
    assert.equal(build.state, 'cancelled');
  } finally {
    await f.close();
  }
});

test('a build that finishes after reset-state does not write ACTIVE over it', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    // The domain is up on the host, but the answer reaches us only when the test releases it.
    const { spawned, release } = holdSpawns(cp);
    const res = await cp.compute.createServers(admin, { name: 'reset', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] });
    const id = res.servers[0].id;
    await spawned.wait;
    cp.compute.resetState(admin, id, 'error');
    release.open();
    await cp.compute.settled(id);
    const s = cp.compute.getServer(admin, id);
    assert.equal(s.status, 'ERROR', 'the admin’s reset-state stands');
    const build = cp.tasks.list({}).find((t) => t.resourceId === id && t.kind === 'server.build')!;
    assert.equal(build.state, 'failed');
    assert.match(build.error!.message, /after another operation changed the server/);
  } finally {
    await f.close();
  }
});
