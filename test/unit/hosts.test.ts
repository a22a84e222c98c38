import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../main/core/log';
import { DeskError } from '../../main/core/errors';
import { EventBus, type DeskEvent, type HostHealthEvent } from '../../main/core/events';
import { HostService } from '../../main/hosts/host-service';
import { insertServer, makeEnv, type Env } from './scheduler-fixtures';

const op = () => ({ signal: new AbortController().signal });

/** Waits for a health event. The health loop's timers are unref'd, so this ref'd guard keeps the process alive meanwhile. */
function nextHealth(bus: EventBus, hostId: string, state: HostHealthEvent['state']): Promise<HostHealthEvent> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      off();
      reject(new Error(`host ${hostId} never went ${state}`));
    }, 20_000);
    const off = bus.subscribe((e: DeskEvent) => {
      if (e.type === 'host.health' && e.hostId === hostId && e.state === state) {
        off();
        clearTimeout(guard);
        resolve(e);
      }
    });
  });
}

const isCode = (code: string) => (e: unknown) => e instanceof DeskError && e.code === code;

describe('host service', () => {
  let env: Env;
  beforeEach(() => {
    env = makeEnv();
  });
  afterEach(async () => {
    await env.close();
  });

  it('adding a fake host registers the capacity its driver reports', async () => {
    const h = await env.hosts.addFakeHost({ name: 'demo-1', vcpus: 8, memoryMb: 16_384, diskGb: 250, availabilityZone: 'rack-a' });
    const facts = await env.hosts.driverFor(h.id).facts(op());
    assert.equal(h.driver, 'fake');
    assert.deepEqual([h.vcpus, h.memoryMb, h.diskGb, h.cpuModel, h.hypervisorType, h.hypervisorVersion, h.hostIp], [
      facts.vcpus,
      facts.memoryMb,
      facts.diskGb,
      facts.cpuModel,
      facts.hypervisorType,
      facts.hypervisorVersion,
      facts.hostIp,
    ]);
    assert.deepEqual([h.enabled, h.state, h.provisionState, h.availabilityZone], [true, 'up', 'ready', 'rack-a']);
    assert.deepEqual(env.hosts.list().map((x) => x.name), ['demo-1']);
    assert.equal(env.hosts.findByName('demo-1')?.id, h.id);
    assert.equal(env.hosts.findByName('demo-9'), undefined);
    assert.ok(env.events.some((e) => e.type === 'resource' && e.kind === 'host' && e.id === h.id && e.action === 'created'));
    env.hosts.fakeRack.flush();
    assert.ok(existsSync(join(env.dir, 'fake-rack.json')));
  });

  it('refuses unsafe names, bad capacity and duplicates, saying what to do', async () => {
    for (const name of ['', '$(touch /tmp/x)', `a'b"c`, '../../etc', 'x'.repeat(64), 'has space', '..']) {
      await assert.rejects(env.hosts.addFakeHost({ name, vcpus: 1, memoryMb: 512, diskGb: 1 }), (e) => isCode('BadRequest')(e) && /letters, digits/.test((e as Error).message));
    }
    await assert.rejects(env.hosts.addFakeHost({ name: 'ok', vcpus: 0, memoryMb: 512, diskGb: 1 }), isCode('BadRequest'));
    await assert.rejects(env.hosts.addFakeHost({ name: 'ok', vcpus: 1, memoryMb: 512, diskGb: 1, availabilityZone: 'a:b' }), isCode('BadRequest'));
    await env.hosts.addFakeHost({ name: 'ok', vcpus: 1, memoryMb: 512, diskGb: 1 });
    await assert.rejects(env.hosts.addFakeHost({ name: 'ok', vcpus: 1, memoryMb: 512, diskGb: 1 }), (e) => isCode('Conflict')(e) && /choose another name/.test((e as Error).message));
    assert.throws(() => env.hosts.get('nope'), isCode('NotFound'));
    assert.throws(() => env.hosts.driverFor('nope'), isCode('NotFound'));
  });

  it('maintenance takes a host out of scheduling and back', async () => {
    const a = await env.hosts.addFakeHost({ name: 'a', vcpus: 4, memoryMb: 4096, diskGb: 40 });
    const off = env.hosts.setEnabled(a.id, false, 'replacing a fan');
    assert.deepEqual([off.enabled, off.disabledReason], [false, 'replacing a fan']);
    assert.throws(() => env.scheduler.schedule({ serverId: insertServer(env.db), vcpus: 1, memoryMb: 256, diskGb: 1 }), /host is disabled \(replacing a fan\)/);
    const on = env.hosts.setEnabled(a.id, true);
    assert.deepEqual([on.enabled, on.disabledReason], [true, null]);
    assert.equal(env.scheduler.schedule({ serverId: insertServer(env.db), vcpus: 1, memoryMb: 256, diskGb: 1 }).hostId, a.id);
  });

  it('the health loop marks a host down after its grace period and up when it answers again', async () => {
    const a = await env.hosts.addFakeHost({ name: 'a', vcpus: 4, memoryMb: 4096, diskGb: 40 });
    const b = await env.hosts.addFakeHost({ name: 'b', vcpus: 4, memoryMb: 4096, diskGb: 40 });
    await env.hosts.start({ intervalMs: 5, downAfterMs: 20 });
    const down = nextHealth(env.bus, a.id, 'down');
    env.hosts.fakeRack.setHostDown('a', true);
    const ev = await down;
    assert.match(ev.message ?? '', /not answering/);
    assert.equal(env.hosts.get(a.id).state, 'down');
    assert.equal(env.hosts.get(b.id).state, 'up');
    assert.ok(env.events.some((e) => e.type === 'resource' && e.id === a.id && e.action === 'updated'));
    const up = nextHealth(env.bus, a.id, 'up');
    env.hosts.fakeRack.setHostDown('a', false);
    await up;
    assert.equal(env.hosts.get(a.id).state, 'up');
    assert.ok(env.hosts.get(a.id).lastSeenAt);
  });

  it('a single failed ping within the grace period does not mark the host down', async () => {
    const a = await env.hosts.addFakeHost({ name: 'a', vcpus: 4, memoryMb: 4096, diskGb: 40 });
    await env.hosts.start({ intervalMs: 3_600_000, downAfterMs: 60_000 });
    env.hosts.fakeRack.inject({ op: 'ping', host: 'a' });
    await env.hosts.checkHealth();
    assert.equal(env.hosts.get(a.id).state, 'up');
    assert.ok(!env.events.some((e) => e.type === 'host.health'));
  });

  it('hosts and their demo VMs survive a restart of the service on the same data folder', async () => {
    const a = await env.hosts.addFakeHost({ name: 'a', vcpus: 4, memoryMb: 4096, diskGb: 40 });
    const vm = {
      id: '6f1c0f9e-0000-4000-8000-000000000001',
      name: 'vm',
      hostname: 'vm',
      vcpus: 1,
      memoryMb: 256,
      diskGb: 1,
      image: { id: 'img', path: '/x', diskFormat: 'qcow2', sizeBytes: 1 },
      nics: [],
      keys: [],
      metadata: {},
    };
    await env.hosts.driverFor(a.id).spawn(vm, op());
    await env.hosts.stop();
    const again = new HostService(env.db, new EventBus(), env.config, createLogger('silent'));
    await again.start({ intervalMs: 3_600_000 });
    try {
      assert.deepEqual(await again.driverFor(a.id).listInstances(op()), [{ id: vm.id, powerState: 'running' }]);
    } finally {
      await again.stop();
    }
  });

  it('removes an empty host, refuses one with servers, and forgets its demo VMs', async () => {
    const a = await env.hosts.addFakeHost({ name: 'a', vcpus: 4, memoryMb: 4096, diskGb: 40 });
    const id = insertServer(env.db);
    env.scheduler.schedule({ serverId: id, vcpus: 1, memoryMb: 256, diskGb: 1 });
    await assert.rejects(env.hosts.remove(a.id), (e) => isCode('Conflict')(e) && /still has servers/.test((e as Error).message));
    env.scheduler.release(id);
    await env.hosts.remove(a.id);
    assert.throws(() => env.hosts.get(a.id), isCode('NotFound'));
    assert.deepEqual(env.hosts.fakeRack.hostNames(), []);
    const again = await env.hosts.addFakeHost({ name: 'a', vcpus: 2, memoryMb: 2048, diskGb: 20 });
    assert.equal(again.vcpus, 2);
  });

  it('allocation ratios are validated and stored', async () => {
    const a = await env.hosts.addFakeHost({ name: 'a', vcpus: 4, memoryMb: 4096, diskGb: 40 });
    const h = env.hosts.setAllocationRatios(a.id, { ram: 1.0 });
    assert.deepEqual([h.cpuAllocationRatio, h.ramAllocationRatio, h.diskAllocationRatio], [16, 1, 1]);
    assert.throws(() => env.hosts.setAllocationRatios(a.id, { cpu: 0 }), isCode('BadRequest'));
  });
});
