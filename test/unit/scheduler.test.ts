import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DeskError } from '../../main/core/errors';
import { parseZoneRequest } from '../../main/scheduler/zone-request';
import { addHosts, insertServer, makeEnv, type Env } from './scheduler-fixtures';

const small = { vcpus: 1, memoryMb: 512, diskGb: 1 };

function noValidHost(message: string) {
  return (e: unknown) => e instanceof DeskError && e.code === 'NoValidHost' && e.message === message;
}

describe('scheduler', () => {
  let env: Env;
  beforeEach(() => {
    env = makeEnv();
  });
  afterEach(async () => {
    await env.close();
  });

  const place = (req: Partial<Parameters<Env['scheduler']['schedule']>[0]> = {}) =>
    env.scheduler.schedule({ serverId: insertServer(env.db), ...small, ...req });

  it('with no hosts says so and what to do', () => {
    assert.throws(() => place(), noValidHost('No valid host was found. There are no compute hosts; add a host or start the demo rack.'));
  });

  it('names every host with the first filter that rejected it', async () => {
    await addHosts(env, [
      { name: 'demo-2', memoryMb: 1024, diskGb: 100 },
      { name: 'demo-3', memoryMb: 4096, diskGb: 10 },
    ]);
    let caught: unknown;
    assert.throws(
      () => {
        try {
          place({ memoryMb: 2048, diskGb: 20 });
        } catch (e) {
          caught = e;
          throw e;
        }
      },
      noValidHost('No valid host was found. demo-2 rejected by RamFilter: 1024 MiB free < 2048 MiB; demo-3 rejected by DiskFilter: 10 GB free < 20 GB'),
    );
    const rejections = (caught as DeskError).details?.rejections as Array<{ hostName: string; filter: string }>;
    assert.deepEqual(rejections.map((r) => [r.hostName, r.filter]), [['demo-2', 'RamFilter'], ['demo-3', 'DiskFilter']]);
  });

  it('RamFilter, DiskFilter and VcpuFilter offer capacity × ratio − allocated', async () => {
    const ids = await addHosts(env, [{ name: 'h1', vcpus: 2, memoryMb: 1024, diskGb: 10, ratios: { cpu: 2, ram: 1.5, disk: 2 } }]);
    // 4 vCPUs, 1536 MiB, 20 GB on offer.
    place({ vcpus: 3, memoryMb: 1024, diskGb: 15 });
    assert.throws(() => place({ vcpus: 2, memoryMb: 1, diskGb: 1 }), noValidHost('No valid host was found. h1 rejected by VcpuFilter: 1 vCPUs free < 2 vCPUs'));
    assert.throws(() => place({ vcpus: 1, memoryMb: 513, diskGb: 1 }), noValidHost('No valid host was found. h1 rejected by RamFilter: 512 MiB free < 513 MiB'));
    assert.throws(() => place({ vcpus: 1, memoryMb: 1, diskGb: 6 }), noValidHost('No valid host was found. h1 rejected by DiskFilter: 5 GB free < 6 GB'));
    place({ vcpus: 1, memoryMb: 512, diskGb: 5 });
    assert.deepEqual(env.scheduler.usage().get(ids.h1), { vcpus: 4, memoryMb: 1536, diskGb: 20, instances: 2 });
  });

  it('default ratios overcommit like Nova: 16 × vCPUs, 1.5 × RAM, 1 × disk', async () => {
    const h = await env.hosts.addFakeHost({ name: 'h1', vcpus: 1, memoryMb: 1024, diskGb: 10 });
    assert.deepEqual([h.cpuAllocationRatio, h.ramAllocationRatio, h.diskAllocationRatio], [16, 1.5, 1]);
    place({ vcpus: 16, memoryMb: 1536, diskGb: 10 });
    assert.throws(() => place({ vcpus: 1, memoryMb: 0, diskGb: 0 }), /VcpuFilter: 0 vCPUs free < 1 vCPUs/);
  });

  it('ComputeFilter skips disabled and down hosts, saying why', async () => {
    const ids = await addHosts(env, [{ name: 'a' }, { name: 'b' }]);
    env.hosts.setEnabled(ids.a, false, 'new disk going in');
    env.hosts.fakeRack.setHostDown('b', true);
    await env.hosts.start({ intervalMs: 3_600_000, downAfterMs: 0 });
    await env.hosts.checkHealth();
    assert.throws(
      () => place(),
      noValidHost('No valid host was found. a rejected by ComputeFilter: host is disabled (new disk going in); b rejected by ComputeFilter: host is down'),
    );
    env.hosts.setEnabled(ids.a, true);
    assert.equal(place().hostName, 'a');
  });

  it('AvailabilityZoneFilter honours a zone and a requested host', async () => {
    await addHosts(env, [{ name: 'a1', availabilityZone: 'az1' }, { name: 'a2', availabilityZone: 'az1' }, { name: 'b1', availabilityZone: 'az2' }]);
    assert.equal(place({ availabilityZone: 'az2' }).hostName, 'b1');
    assert.equal(place({ availabilityZone: 'az1', host: 'a2' }).hostName, 'a2');
    assert.equal(place({ host: 'b1' }).hostName, 'b1');
    assert.equal(place({ availabilityZone: null }).hostName, 'a1');
    assert.throws(() => place({ availabilityZone: 'az3' }), /a1 rejected by AvailabilityZoneFilter: in availability zone az1, not az3; a2 rejected/);
    assert.throws(() => place({ availabilityZone: 'az2', host: 'a1' }), /a1 rejected by AvailabilityZoneFilter: in availability zone az1, not az2/);
  });

  it('parseZoneRequest reads every Nova form and refuses a fourth part', () => {
    assert.deepEqual(parseZoneRequest('az1'), { zone: 'az1', host: null, node: null });
    assert.deepEqual(parseZoneRequest('az1:h'), { zone: 'az1', host: 'h', node: null });
    assert.deepEqual(parseZoneRequest('az1:h:n'), { zone: 'az1', host: 'h', node: 'n' });
    assert.deepEqual(parseZoneRequest('az1::n'), { zone: 'az1', host: null, node: 'n' });
    assert.deepEqual(parseZoneRequest(':h'), { zone: null, host: 'h', node: null });
    assert.deepEqual(parseZoneRequest(undefined), { zone: null, host: null, node: null });
    assert.throws(() => parseZoneRequest('a:b:c:d'), /Unable to parse availability_zone/);
  });

  it('RAMWeigher spreads servers over the host with the most free RAM, ties broken by name', async () => {
    const ids = await addHosts(env, [{ name: 'c' }, { name: 'a' }, { name: 'b' }]);
    assert.deepEqual([place(), place(), place()].map((p) => p.hostName), ['a', 'b', 'c']);
    await addHosts(env, [{ name: 'big', memoryMb: 65_536 }]);
    assert.equal(place({ memoryMb: 4096 }).hostName, 'big');
    assert.equal(env.scheduler.usage().get(ids.a)?.instances, 1);
  });

  it('hard affinity and anti-affinity filter hosts by where the group members run', async () => {
    const ids = await addHosts(env, [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    assert.equal(place({ group: { policy: 'affinity', memberHostIds: [ids.c] } }).hostName, 'c');
    assert.equal(place({ group: { policy: 'affinity', memberHostIds: [] } }).hostName, 'a');
    assert.equal(place({ group: { policy: 'anti-affinity', memberHostIds: [ids.a, ids.b] } }).hostName, 'c');
    assert.throws(
      () => place({ group: { policy: 'anti-affinity', memberHostIds: [ids.a, ids.b, ids.c] } }),
      /a rejected by ServerGroupAntiAffinityFilter: already runs a member of the server group \(anti-affinity\)/,
    );
    env.hosts.setEnabled(ids.c, false);
    assert.throws(() => place({ group: { policy: 'affinity', memberHostIds: [ids.c] } }), /a rejected by ServerGroupAffinityFilter.*c rejected by ComputeFilter/);
  });

  it('soft policies prefer, but never refuse', async () => {
    const ids = await addHosts(env, [{ name: 'a', memoryMb: 16_384 }, { name: 'b' }]);
    assert.equal(place({ group: { policy: 'soft-affinity', memberHostIds: [ids.b] } }).hostName, 'b');
    assert.equal(place({ group: { policy: 'soft-anti-affinity', memberHostIds: [ids.a] } }).hostName, 'b');
    assert.equal(place({ group: { policy: 'soft-anti-affinity', memberHostIds: [ids.a, ids.b] } }).hostName, 'a');
  });

  it('a reschedule never returns to a host it already tried', async () => {
    const ids = await addHosts(env, [{ name: 'a' }, { name: 'b' }]);
    assert.equal(place({ excludeHostIds: [ids.a] }).hostName, 'b');
    assert.throws(() => place({ excludeHostIds: [ids.a, ids.b] }), /a rejected by RetryFilter: already tried for this server/);
  });

  it('allocationFor, release (idempotent) and usage', async () => {
    const ids = await addHosts(env, [{ name: 'a' }, { name: 'b' }]);
    const id = insertServer(env.db);
    const p = env.scheduler.schedule({ serverId: id, vcpus: 2, memoryMb: 1024, diskGb: 10 });
    assert.deepEqual(p, { hostId: ids.a, hostName: 'a' });
    const a = env.scheduler.allocationFor(id);
    assert.deepEqual(a && { ...a, createdAt: '' }, { serverId: id, hostId: ids.a, vcpus: 2, memoryMb: 1024, diskGb: 10, createdAt: '' });
    assert.throws(() => env.scheduler.schedule({ serverId: id, ...small }), (e) => e instanceof DeskError && e.code === 'Conflict');
    assert.deepEqual(env.scheduler.usage().get(ids.b), { vcpus: 0, memoryMb: 0, diskGb: 0, instances: 0 });
    env.scheduler.release(id);
    env.scheduler.release(id);
    assert.equal(env.scheduler.allocationFor(id), undefined);
    assert.deepEqual(env.scheduler.usage().get(ids.a), { vcpus: 0, memoryMb: 0, diskGb: 0, instances: 0 });
  });

  it('usage follows allocations that vanish with their server row (cascade)', async () => {
    const ids = await addHosts(env, [{ name: 'a' }]);
    const p = place({ vcpus: 2, memoryMb: 1024, diskGb: 3 });
    place({ vcpus: 1, memoryMb: 512, diskGb: 1 });
    const gone = env.db.prepare('SELECT server_id FROM allocations WHERE vcpus = 2').pluck().get() as string;
    assert.equal(p.hostId, ids.a);
    env.db.prepare('DELETE FROM servers WHERE id = ?').run(gone);
    assert.deepEqual(env.scheduler.usage().get(ids.a), { vcpus: 1, memoryMb: 512, diskGb: 1, instances: 1 });
  });

  it('refuses impossible sizes and unknown servers with a clear error', async () => {
    await addHosts(env, [{ name: 'a' }]);
    assert.throws(() => place({ vcpus: -1 }), (e) => e instanceof DeskError && e.code === 'BadRequest');
    assert.throws(() => env.scheduler.schedule({ serverId: 'no-such-server', ...small }), /does not exist/);
    assert.deepEqual(env.scheduler.usage().get(env.hosts.findByName('a')!.id)?.instances, 0);
  });
});
