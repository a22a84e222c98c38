// Nova's rebuild on the demo rack: states and instance action, what the server keeps, what the guest is
// handed, the refusals, a failure and a retry, a delete during a rebuild, and a crash in the middle.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import type { ControlPlane } from '../../main/control-plane';
import type { RequestContext } from '../../main/core/context';
import { DeskError } from '../../main/core/errors';
import { bootAndSettle, computeFixture, crash, memberOf, untilTaskState, type ComputeFixture } from './compute-helpers';

const sshKey = (fill: number, comment: string): string =>
  `ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, fill)]).toString('base64')} ${comment}`;
const SSH_KEY = sshKey(7, 'rebuild@desk');

async function otherImage(f: ComputeFixture, extra: { minRam?: number; minDisk?: number; name?: string } = {}): Promise<string> {
  const img = await f.cp.images.seedImage({ name: extra.name ?? 'debian-raw', bytes: Buffer.alloc(4096, 1), diskFormat: 'raw', containerFormat: 'bare', visibility: 'public', ownerProjectId: f.admin.projectId, ...extra });
  return img.id;
}

/** Every task_state the server passes through, in order, from the bus. */
function recordTaskStates(cp: ControlPlane, id: string): string[] {
  const seen: string[] = [];
  cp.bus.subscribe((e) => {
    if (e.type !== 'resource' || e.id !== id) return;
    const t = String(cp.db.prepare('SELECT task_state FROM servers WHERE id = ?').pluck().get(id));
    if (seen[seen.length - 1] !== t) seen.push(t);
  });
  return seen;
}

function guestFiles(cp: ControlPlane, hostName: string, id: string): Map<string, Buffer> {
  return cp.hosts.fakeRack.guestFiles(hostName, id)!;
}

function rebuildEvents(cp: ControlPlane, ctx: RequestContext, id: string): Array<[string, string | null]> {
  const action = cp.compute.listActions(ctx, id).find((a) => a.action === 'rebuild')!;
  const detail = cp.compute.getAction(ctx, id, action.requestId);
  assert.ok(detail.finishTime, 'the rebuild action is finished');
  return detail.events!.map((e) => [e.event, e.result]);
}

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DeskError, String(e));
    return `${e.code}: ${e.message}`;
  }
  return 'no error';
};

test('rebuild keeps id, host, IPs and MACs, goes through Nova’s task states, and hands the guest new data', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    await cp.compute.keypairs.create({ name: 'old-key', userId: admin.userId, projectId: admin.projectId, publicKey: sshKey(8, 'old@desk') });
    await cp.compute.keypairs.create({ name: 'new-key', userId: admin.userId, projectId: admin.projectId, publicKey: SSH_KEY });
    const before = await bootAndSettle(f, admin, 'web', { configDrive: true, keyName: 'old-key', userData: Buffer.from('old').toString('base64'), metadata: { a: '1' }, adminPass: 'first-pass' });
    assert.equal(before.status, 'ACTIVE');
    const created = JSON.parse(guestFiles(cp, before.hostName!, before.id).get('openstack/latest/meta_data.json')!.toString());
    assert.equal(created.admin_pass, 'first-pass', 'the create’s admin password reached the config drive');
    const imageId = await otherImage(f);
    const states = recordTaskStates(cp, before.id);

    const res = cp.compute.rebuildServer(admin, before.id, {
      imageRef: imageId,
      name: 'web-rebuilt',
      metadata: { b: '2' },
      keyName: 'new-key',
      userData: Buffer.from('#!/bin/sh\necho new\n').toString('base64'),
      hostname: 'web-new',
      adminPass: 'Rebuild-Passw0rd',
      accessIPv4: '10.0.0.9',
      description: 'rebuilt',
    });
    assert.equal(res.adminPass, 'Rebuild-Passw0rd');
    assert.deepEqual([res.server.status, res.server.taskState, res.server.imageId, res.server.name], ['REBUILD', 'rebuilding', imageId, 'web-rebuilt']);
    await cp.compute.settled(before.id);

    const after = cp.compute.getServer(admin, before.id);
    assert.deepEqual([after.status, after.taskState, after.powerState], ['ACTIVE', null, 1]);
    assert.deepEqual(states, ['rebuilding', 'rebuild_block_device_mapping', 'rebuild_spawning', 'null']);
    assert.deepEqual([after.hostId, after.addresses], [before.hostId, before.addresses], 'same host, fixed IPs and MACs');
    assert.equal(cp.scheduler.allocationFor(before.id)?.hostId, before.hostId, 'the allocation stays');
    assert.deepEqual([after.metadata, after.keyName, after.hostname, after.accessIPv4, after.description], [{ b: '2' }, 'new-key', 'web-new', '10.0.0.9', 'rebuilt']);
    assert.ok(after.launchedAt! >= before.launchedAt!);
    assert.deepEqual(rebuildEvents(cp, admin, before.id), [
      ['conductor_rebuild_server', 'Success'],
      ['compute_rebuild_instance', 'Success'],
    ]);

    const files = guestFiles(cp, before.hostName!, before.id);
    const meta = JSON.parse(files.get('openstack/latest/meta_data.json')!.toString());
    assert.deepEqual([meta.uuid, meta.name, meta.hostname, meta.admin_pass, meta.meta, meta.public_keys], [before.id, 'web-rebuilt', 'web-new', 'Rebuild-Passw0rd', { b: '2' }, { 'new-key': SSH_KEY }]);
    assert.equal(files.get('openstack/latest/user_data')!.toString(), '#!/bin/sh\necho new\n');
    const onHost = cp.hosts.fakeRack.instancesOn(before.hostName!).filter((i) => i.id === before.id);
    assert.deepEqual(onHost.map((i) => i.powerState), ['running'], 'one instance, running, on the same host');
    const console = await cp.compute.consoleOutput(admin, before.id);
    assert.match(console, /Hostname set to <web-new>/);

    // A key pair deleted later stays with the server; null unsets user_data and the key (2.54, 2.57).
    cp.compute.keypairs.delete(admin.userId, 'new-key', admin.projectId);
    cp.compute.rebuildServer(admin, before.id, { imageRef: f.imageId, keyName: null, userData: null });
    await cp.compute.settled(before.id);
    const bare = cp.compute.getServer(admin, before.id);
    assert.deepEqual([bare.status, bare.keyName, bare.userData, bare.imageId], ['ACTIVE', null, null, f.imageId]);
    assert.equal(guestFiles(cp, before.hostName!, before.id).has('openstack/latest/user_data'), false);
  } finally {
    await f.close();
  }
});

test('a stopped server is rebuilt and stopped again (SHUTOFF); an ERROR one comes back ACTIVE', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const s = await bootAndSettle(f, admin, 'stopped');
    cp.compute.stopServer(admin, s.id);
    await cp.compute.settled(s.id);
    const states = recordTaskStates(cp, s.id);
    assert.equal(cp.compute.rebuildServer(admin, s.id, { imageRef: f.imageId }).server.status, 'REBUILD');
    await cp.compute.settled(s.id);
    const off = cp.compute.getServer(admin, s.id);
    assert.deepEqual([off.status, off.powerState, off.taskState], ['SHUTOFF', 4, null]);
    assert.deepEqual(states, ['rebuilding', 'rebuild_block_device_mapping', 'rebuild_spawning', 'powering-off', 'null']);
    assert.deepEqual(rebuildEvents(cp, admin, s.id), [
      ['conductor_rebuild_server', 'Success'],
      ['compute_rebuild_instance', 'Success'],
      ['compute_stop_instance', 'Success'],
    ]);
    assert.deepEqual(cp.hosts.fakeRack.instancesOn(off.hostName!).filter((i) => i.id === s.id).map((i) => i.powerState), ['shutdown']);

    cp.compute.resetState(admin, s.id, 'error');
    cp.compute.rebuildServer(admin, s.id, { imageRef: f.imageId });
    await cp.compute.settled(s.id);
    assert.equal(cp.compute.getServer(admin, s.id).status, 'ACTIVE');
  } finally {
    await f.close();
  }
});

test('rebuild is refused in Nova’s words: locked, busy, failed build, image too big for the flavor, unknown image or key, unsupported options', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const member = await memberOf(cp, admin, 'rebuilders');
    const s = await bootAndSettle(f, member, 'guarded');
    const id = s.id;
    cp.compute.lockServer(admin, id, true);
    assert.equal(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: f.imageId })), `Conflict: Instance ${id} is locked`);
    cp.compute.lockServer(admin, id, false);

    const big = await otherImage(f, { name: 'needs-ram', minRam: 4096 });
    assert.equal(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: big })), "BadRequest: Flavor's memory is too small for requested image.");
    const wide = await otherImage(f, { name: 'needs-disk', minDisk: 50 });
    assert.match(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: wide })), /^BadRequest: Flavor's disk is smaller than the minimum size specified in image metadata\./);
    assert.equal(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: '8b7a3c52-0000-4000-8000-000000000000' })), 'BadRequest: Cannot find image for rebuild');
    assert.equal(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: f.imageId, keyName: 'nope' })), 'BadRequest: Invalid key_name provided.');
    assert.match(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: f.imageId, preserveEphemeral: true })), /^BadRequest: preserve_ephemeral is not supported/);
    assert.match(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: f.imageId, trustedImageCertificates: ['cert-1'] })), /^BadRequest: trusted_image_certificates are not supported/);
    assert.equal(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: f.imageId, userData: 'not base64!' })), 'BadRequest: User data needs to be valid base 64.');
    cp.compute.quotas.update(member.projectId, { metadata_items: 1 });
    assert.equal(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: f.imageId, metadata: { a: '1', b: '2' } })), 'OverQuota: Maximum number of metadata items exceeds 1');
    const other = await memberOf(cp, admin, 'strangers');
    assert.match(codeOf(() => cp.compute.rebuildServer(other, id, { imageRef: f.imageId })), /^NotFound: /);
    assert.deepEqual(cp.compute.listActions(member, id).map((a) => a.action), ['create'], 'a refused rebuild records no action');

    cp.compute.rebootServer(member, id, 'SOFT');
    assert.equal(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: f.imageId })), `Conflict: Cannot 'rebuild' instance ${id} while it is in task_state rebooting`);
    await cp.compute.settled(id);
    cp.compute.rebuildServer(member, id, { imageRef: f.imageId });
    assert.equal(codeOf(() => cp.compute.rebuildServer(member, id, { imageRef: f.imageId })), `Conflict: Cannot 'rebuild' instance ${id} while it is in task_state rebuilding`);
    await cp.compute.settled(id);

    cp.hosts.fakeRack.inject({ op: 'spawn', times: 1 });
    const failed = await bootAndSettle(f, member, 'never-built');
    assert.equal(failed.status, 'ERROR');
    assert.match(codeOf(() => cp.compute.rebuildServer(member, failed.id, { imageRef: f.imageId })), /^Conflict: Cannot 'rebuild' instance .* it holds no place on a host/);
  } finally {
    await f.close();
  }
});

test('a failed rebuild ends in ERROR with a fault, holding its host, allocation and addresses; rebuilding again recovers it', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const s = await bootAndSettle(f, admin, 'fragile');
    cp.hosts.fakeRack.inject({ op: 'rebuild', host: s.hostName!, message: 'qemu-img: Could not open the new image' });
    cp.compute.rebuildServer(admin, s.id, { imageRef: f.imageId });
    await cp.compute.settled(s.id);
    const broken = cp.compute.getServer(admin, s.id);
    assert.equal(broken.status, 'ERROR');
    assert.match(broken.fault!.message, /Could not open the new image/);
    assert.deepEqual([broken.hostId, broken.addresses, cp.scheduler.allocationFor(s.id)?.hostId], [s.hostId, s.addresses, s.hostId]);
    assert.deepEqual(rebuildEvents(cp, admin, s.id), [
      ['conductor_rebuild_server', 'Success'],
      ['compute_rebuild_instance', 'Error'],
    ]);
    assert.equal(cp.compute.listActions(admin, s.id)[0].message, 'Error');

    cp.compute.rebuildServer(admin, s.id, { imageRef: f.imageId });
    await cp.compute.settled(s.id);
    const fixed = cp.compute.getServer(admin, s.id);
    assert.deepEqual([fixed.status, fixed.fault, fixed.addresses], ['ACTIVE', null, s.addresses]);
  } finally {
    await f.close();
  }
});

test('a rebuild on a host that does not answer touches nothing: the server keeps its state and its fault says why', async () => {
  process.env.DESKSTACK_HEALTH_DOWN_AFTER_MS = '1';
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const s = await bootAndSettle(f, admin, 'remote');
    cp.hosts.fakeRack.setHostDown(s.hostName!, true);
    await cp.hosts.checkHealth(); // the first miss starts the clock
    await new Promise((r) => setTimeout(r, 5));
    await cp.hosts.checkHealth();
    assert.equal(cp.hosts.get(s.hostId!).state, 'down');
    cp.compute.rebuildServer(admin, s.id, { imageRef: f.imageId });
    await cp.compute.settled(s.id);
    const kept = cp.db.prepare('SELECT vm_state, task_state, fault FROM servers WHERE id = ?').get(s.id) as { vm_state: string; task_state: string | null; fault: string };
    assert.deepEqual([kept.vm_state, kept.task_state], ['active', null]);
    assert.match(JSON.parse(kept.fault).message, /does not answer, so instance .* was left as it was/);
    assert.deepEqual(rebuildEvents(cp, admin, s.id).map(([e, r]) => `${e} ${r}`), ['conductor_rebuild_server Error']);
  } finally {
    delete process.env.DESKSTACK_HEALTH_DOWN_AFTER_MS;
    await f.close();
  }
});

test('delete during a rebuild takes over and leaves nothing on the host', async () => {
  const f = await computeFixture({ delayScale: 1 });
  try {
    const { cp, admin } = f;
    const s = await bootAndSettle(f, admin, 'short-lived');
    cp.compute.rebuildServer(admin, s.id, { imageRef: f.imageId });
    await untilTaskState(cp, s.id, 'rebuild_spawning');
    cp.compute.deleteServer(admin, s.id);
    await cp.compute.settled(s.id);
    assert.throws(() => cp.compute.getServer(admin, s.id), /could not be found/);
    assert.deepEqual(cp.hosts.fakeRack.instancesOn(s.hostName!).filter((i) => i.id === s.id), []);
    assert.equal(cp.scheduler.allocationFor(s.id), undefined);
  } finally {
    await f.close();
  }
});

test('a rebuild interrupted by a crash runs again at the next start under the same action and ends ACTIVE', async () => {
  const first = await computeFixture({ delayScale: 1 });
  const { dataDir } = first;
  let second: ComputeFixture | undefined;
  try {
    const s = await bootAndSettle(first, first.admin, 'crashy');
    const imageId = await otherImage(first);
    first.cp.compute.rebuildServer(first.admin, s.id, { imageRef: imageId, name: 'crashy-2' });
    await untilTaskState(first.cp, s.id, 'rebuild_spawning');
    await crash(first.cp);

    second = await computeFixture({ dataDir });
    const { cp, admin } = second;
    await cp.compute.settled(s.id);
    const after = cp.compute.getServer(admin, s.id);
    assert.deepEqual([after.status, after.name, after.imageId, after.hostId, after.addresses], ['ACTIVE', 'crashy-2', imageId, s.hostId, s.addresses], JSON.stringify(after.fault));
    const actions = cp.compute.listActions(admin, s.id);
    assert.deepEqual(actions.map((a) => [a.action, !!a.finishTime, a.message]), [['rebuild', true, null], ['create', true, null]]);
    const events = cp.compute.getAction(admin, s.id, actions[0].requestId).events!;
    assert.ok(events.every((e) => e.result === 'Success'), JSON.stringify(events));
    assert.deepEqual(cp.tasks.list({}).filter((t) => t.resourceId === s.id && t.kind === 'server.rebuild').map((t) => t.state).sort(), ['interrupted', 'succeeded']);
    assert.deepEqual(cp.hosts.fakeRack.instancesOn(s.hostName!).filter((i) => i.id === s.id).map((i) => i.powerState), ['running']);
  } finally {
    await second?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a crash while a rebuilt server is being stopped again finishes the stop under the rebuild’s action', async () => {
  const first = await computeFixture({ delayScale: 1 });
  const { dataDir } = first;
  let second: ComputeFixture | undefined;
  try {
    const s = await bootAndSettle(first, first.admin, 'was-off');
    first.cp.compute.stopServer(first.admin, s.id);
    await first.cp.compute.settled(s.id);
    first.cp.compute.rebuildServer(first.admin, s.id, { imageRef: first.imageId });
    await untilTaskState(first.cp, s.id, 'powering-off');
    await crash(first.cp);

    second = await computeFixture({ dataDir });
    const { cp, admin } = second;
    await cp.compute.settled(s.id);
    assert.deepEqual([cp.compute.getServer(admin, s.id).status, cp.compute.getServer(admin, s.id).taskState], ['SHUTOFF', null]);
    assert.deepEqual(cp.compute.listActions(admin, s.id).map((a) => a.action), ['rebuild', 'stop', 'create'], 'no extra stop action');
    assert.deepEqual(rebuildEvents(cp, admin, s.id), [
      ['conductor_rebuild_server', 'Success'],
      ['compute_rebuild_instance', 'Success'],
      ['compute_stop_instance', 'Success'],
    ]);
    assert.deepEqual(cp.hosts.fakeRack.instancesOn(s.hostName!).filter((i) => i.id === s.id).map((i) => i.powerState), ['shutdown']);
  } finally {
    await second?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
