// What project members may learn: faults without infrastructure, list markers and task lists
// scoped to their project; key-pair generation that cannot be abused; MACs that never collide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch } from '../../main/api/rpc/dispatch';
import type { ServerView as UiServer, TaskView } from '../../main/api/contract/views';
import { KeypairStore } from '../../main/compute/keypairs';
import { allocateFixedIp } from '../../main/compute/ip-allocator';
import { generateSshKey } from '../../main/compute/ssh-key';
import { DeskError } from '../../main/core/errors';
import { bootAndSettle, computeFixture, memberOf } from './compute-helpers';

test('UI contract: a member sees a generic fault for a 500, the admin sees the full message and details', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const member = await memberOf(cp, admin, 'tenant');
    cp.compute.flavors.create({ id: 'huge', name: 'huge', vcpus: 1, ram: 500_000, disk: 1 });
    cp.compute.quotas.update(member.projectId, { ram: -1 });
    const big = (await cp.compute.createServers(member, { name: 'big', imageRef: f.imageId, flavorRef: 'huge', networks: [{ uuid: f.networkId }] })).servers[0];
    await cp.compute.settled(big.id);
    cp.hosts.fakeRack.inject({ op: 'spawn', times: 1, message: 'root@10.0.0.5:22: qemu-img create -f qcow2 /var/lib/deskstack/disk failed: Permission denied' });
    const broken = await bootAndSettle(f, member, 'broken');

    const asMember = (id: string) => dispatch(cp, member, 'serverGet', { id }) as Promise<UiServer>;
    const asAdmin = (id: string) => dispatch(cp, admin, 'serverGet', { id }) as Promise<UiServer>;

    assert.deepEqual((await asMember(big.id)).fault, { code: 500, message: 'No valid host was found.' });
    assert.deepEqual((await asMember(broken.id)).fault, { code: 500, message: `Build of instance ${broken.id} failed; ask your cloud administrator for details.` });
    const listed = (await dispatch(cp, member, 'serverList', {})) as UiServer[];
    assert.ok(listed.every((s) => !JSON.stringify(s.fault ?? {}).match(/demo-\d|10\.0\.0\.5|qemu-img/)), 'no host, address or command in a member’s list');

    const adminBig = (await asAdmin(big.id)).fault!;
    assert.match(adminBig.message, /^No valid host was found\. demo-\d rejected by RamFilter/);
    assert.ok(adminBig.details, 'the admin gets the scheduler details');
    assert.match((await asAdmin(broken.id)).fault!.message, /root@10\.0\.0\.5:22: qemu-img create/);
  } finally {
    await f.close();
  }
});

test('a list marker from another project is "not found", just like a made-up one', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const secret = await bootAndSettle(f, admin, 'admin-only');
    const member = await memberOf(cp, admin, 'nosy');
    await bootAndSettle(f, member, 'mine');
    const notFound = (marker: string) =>
      assert.throws(() => cp.compute.listServers(member, { marker }), (e: unknown) => e instanceof DeskError && e.code === 'BadRequest' && e.message === `marker [${marker}] not found`);
    notFound(secret.id);
    notFound('00000000-0000-4000-8000-000000000000');
    // The admin's all-tenants list still pages with it.
    assert.deepEqual(cp.compute.listServers(admin, { allTenants: true, marker: secret.id, sortDir: 'asc' }).map((s) => s.name), ['mine']);
  } finally {
    await f.close();
  }
});

test('a member’s task list is filled up to the limit with their own tasks, host work is skipped in SQL', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const member = await memberOf(cp, admin, 'busy');
    const s = await bootAndSettle(f, member, 'vm');
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5)); // newer than the build
      await cp.tasks.start({ kind: 'host.preflight', title: `Host work ${i}`, projectId: null }, async () => undefined).done;
    }
    const mine = (await dispatch(cp, member, 'taskList', { limit: 1 })) as TaskView[];
    assert.deepEqual(mine.map((t) => [t.kind, t.resourceId]), [['server.build', s.id]]);
    const all = (await dispatch(cp, admin, 'taskList', { limit: 3 })) as TaskView[];
    assert.deepEqual(all.map((t) => t.kind), ['host.preflight', 'host.preflight', 'host.preflight'], 'admins still see host work');
  } finally {
    await f.close();
  }
});

test('over-quota or duplicate key-pair generation is refused before any key is generated', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    let generated = 0;
    const store = new KeypairStore(cp.db, cp.bus, cp.compute.quotas, () => {
      generated++;
      return generateSshKey();
    });
    const made = await store.create({ name: 'first', userId: admin.userId, projectId: admin.projectId });
    assert.match(made.privateKey!, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(generated, 1);
    await assert.rejects(store.create({ name: 'first', userId: admin.userId, projectId: admin.projectId }), /Key pair 'first' already exists\./);
    cp.compute.quotas.update(admin.projectId, { key_pairs: 1 });
    await assert.rejects(store.create({ name: 'second', userId: admin.userId, projectId: admin.projectId }), (e: unknown) => e instanceof DeskError && e.code === 'OverQuota');
    assert.equal(generated, 1, 'no key was generated for refused requests');
  } finally {
    await f.close();
  }
});

test('MACs are unique: a clashing candidate is skipped, and the database refuses a duplicate per network', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const a = await bootAndSettle(f, admin, 'a');
    const b = await bootAndSettle(f, admin, 'b');
    assert.notEqual(a.addresses[0].mac, b.addresses[0].mac);
    const net = cp.networks.list(admin, {}).networks.find((n) => n.id === f.networkId)!;
    const cidr = (cp.db.prepare('SELECT cidr FROM networks WHERE id = ?').pluck().get(net.id) as string | null) ?? '192.168.122.0/24';
    const candidates = [a.addresses[0].mac, b.addresses[0].mac, 'fa:16:3e:00:00:01'];
    const got = cp.db.transaction(() => allocateFixedIp(cp.db, net.id, net.name, cidr, a.id, () => candidates.shift()!))();
    assert.equal(got.mac, 'fa:16:3e:00:00:01', 'MACs in use were retried');
    assert.throws(
      () => cp.db.prepare('INSERT INTO fixed_ips (network_id, address, server_id, mac, created_at) VALUES (?, ?, ?, ?, ?)').run(net.id, '192.168.122.200', b.id, a.addresses[0].mac, 'now'),
      /UNIQUE constraint failed: fixed_ips\.network_id, fixed_ips\.mac/,
    );
  } finally {
    await f.close();
  }
});
