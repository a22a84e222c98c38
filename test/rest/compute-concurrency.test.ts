import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds, nova, waitStatus, type NovaClient } from './compute-helpers';

let t: TestServer;
let c: NovaClient;

before(async () => {
  t = await startTestServer();
  c = nova(t, await t.token());
});
after(async () => t?.close());

test('200 concurrent POST /servers on the demo rack: each ends ACTIVE or ERROR(No valid host), capacity never exceeded', { timeout: 120_000 }, async () => {
  const project = t.cp.identity.adminIds().projectId!;
  const q = await c.call('PUT', `/os-quota-sets/${project}`, { quota_set: { instances: 500, cores: 5000, ram: 5_000_000 } });
  assert.equal(q.status, 200);
  const { imageId, networkId } = demoIds(t);
  // m1.large: 4 vCPU / 8 GiB / 80 GB: RAM (65536 MiB × 1.5) and disk (1000 GB) each fit 12 per host, 36 in all.
  const posts = await Promise.all(
    Array.from({ length: 200 }, (_, i) => c.call('POST', '/servers', { server: { name: `burst-${i}`, imageRef: imageId, flavorRef: '4', networks: [{ uuid: networkId }] } })),
  );
  assert.deepEqual([...new Set(posts.map((p) => p.status))], [202]);
  const finals = await Promise.all(posts.map((p) => waitStatus(c, p.body.server.id, ['ACTIVE', 'ERROR'], 3000)));
  const active = finals.filter((s) => s.status === 'ACTIVE');
  const errored = finals.filter((s) => s.status === 'ERROR');
  assert.equal(active.length + errored.length, 200);
  assert.ok(active.length > 0);
  for (const s of errored) {
    assert.equal(s.fault.code, 500);
    assert.match(s.fault.message, /^No valid host was found\./);
  }

  const hv = await c.call('GET', '/os-hypervisors/detail');
  for (const h of hv.body.hypervisors) {
    const host = t.cp.hosts.findByName(h.hypervisor_hostname)!;
    assert.ok(h.vcpus_used <= h.vcpus * host.cpuAllocationRatio, `${h.hypervisor_hostname} vCPUs over-committed`);
    assert.ok(h.memory_mb_used <= h.memory_mb * host.ramAllocationRatio, `${h.hypervisor_hostname} RAM over-committed`);
    assert.ok(h.local_gb_used <= h.local_gb * host.diskAllocationRatio, `${h.hypervisor_hostname} disk over-committed`);
  }
  const usage = t.cp.scheduler.usage();
  let instances = 0;
  for (const host of t.cp.hosts.list()) {
    const u = usage.get(host.id)!;
    instances += u.instances;
    assert.ok(u.memoryMb <= host.memoryMb * host.ramAllocationRatio);
    assert.ok(u.diskGb <= host.diskGb * host.diskAllocationRatio);
  }
  assert.equal(instances, active.length, 'exactly the ACTIVE servers hold allocations');
  const ips = active.map((s) => s.addresses.private[0].addr);
  assert.equal(new Set(ips).size, ips.length, 'no fixed IP is handed out twice');
});
