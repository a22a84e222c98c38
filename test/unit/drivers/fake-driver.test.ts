import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DeskError } from '../../../main/core/errors';
import { FakeBuildAbortDriver, FakeRack, FakeRescheduleDriver } from '../../../main/drivers/fake/index';
import type { ImageSpec, InstanceSpec, OpContext } from '../../../main/drivers/types';
import { runDriverSuite } from './driver-suite';

const IMAGE: ImageSpec = { id: 'cirros', path: '/nonexistent/cirros.qcow2', diskFormat: 'qcow2', sizeBytes: 21_430_272 };
const CAPACITY = { vcpus: 8, memoryMb: 16_384, diskGb: 200 };
const op = (signal: AbortSignal = new AbortController().signal): OpContext => ({ signal });

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'deskstack-fake-'));
}

function spec(overrides: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    id: randomUUID(),
    name: 'web-1',
    hostname: 'web-1',
    vcpus: 2,
    memoryMb: 1024,
    diskGb: 10,
    image: IMAGE,
    nics: [{ networkId: 'n1', hostNetwork: 'br-private', mac: 'fa:16:3e:00:00:01', ip: '10.0.0.5' }],
    keys: [{ name: 'demo', type: 'ssh', publicKey: 'ssh-ed25519 AAAA test' }],
    metadata: {},
    ...overrides,
  };
}

for (const delayScale of [0, 0.002]) {
  runDriverSuite(`fake (delayScale ${delayScale})`, async () => {
    const dir = tempDir();
    const rack = new FakeRack({ stateFile: join(dir, 'rack.json'), delayScale });
    return {
      driver: rack.driverFor('suite-host', CAPACITY),
      image: IMAGE,
      failNextSpawn: () => rack.inject({ op: 'spawn', host: 'suite-host' }),
      failNextRebuild: () => rack.inject({ op: 'rebuild', host: 'suite-host' }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
}

describe('fake rack', () => {
  it('keeps instances and power states across a new rack on the same state file', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'rack.json');
      const rack = new FakeRack({ stateFile: file, delayScale: 0 });
      const a = rack.driverFor('demo-1', CAPACITY);
      const b = rack.driverFor('demo-2', CAPACITY);
      const s1 = spec();
      const s2 = spec({ hostname: 'db-1' });
      await a.spawn(s1, op());
      await b.spawn(s2, op());
      await new Promise((r) => setImmediate(r));
      assert.ok(readFileSync(file, 'utf8').includes(s2.id), 'changes reach the file by the next event-loop turn');
      await b.powerOff(s2.id, 60, op());
      rack.flush();
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).version, 1);
      await b.powerOn(s2.id, op());
      await b.powerOff(s2.id, 60, op());
      // No explicit flush: a new rack on the same file picks up the changes still pending.

      const again = new FakeRack({ stateFile: file, delayScale: 0 });
      assert.deepEqual(again.hostNames(), ['demo-1', 'demo-2']);
      const a2 = again.driverFor('demo-1', CAPACITY);
      const b2 = again.driverFor('demo-2', CAPACITY);
      assert.deepEqual(await a2.listInstances(op()), [{ id: s1.id, powerState: 'running' }]);
      assert.deepEqual(await b2.getInfo(s2.id, op()), { id: s2.id, powerState: 'shutdown' });
      assert.match(await b2.consoleOutput(s2.id, undefined, op()), /reboot: Power down/);
      assert.equal((await a2.facts(op())).hostIp, (await a.facts(op())).hostIp);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports the capacity it was given as facts, with distinct host addresses', async () => {
    const rack = new FakeRack({ delayScale: 0 });
    const f1 = await rack.driverFor('demo-1', { ...CAPACITY, cpuModel: 'EPYC' }).facts(op());
    const f2 = await rack.driverFor('demo-2', CAPACITY).facts(op());
    assert.equal(f1.hostname, 'demo-1');
    assert.deepEqual([f1.vcpus, f1.memoryMb, f1.diskGb, f1.cpuModel], [8, 16_384, 200, 'EPYC']);
    assert.equal(f1.hypervisorType, 'QEMU');
    assert.notEqual(f1.hostIp, f2.hostIp);
  });

  it('injected faults fail the chosen operation the chosen number of times, on the chosen host only', async () => {
    const rack = new FakeRack({ delayScale: 0 });
    const a = rack.driverFor('demo-1', CAPACITY);
    const b = rack.driverFor('demo-2', CAPACITY);
    rack.inject({ op: 'spawn', host: 'demo-1', times: 2, message: 'disk full' });
    await assert.rejects(a.spawn(spec(), op()), /disk full/);
    await b.spawn(spec(), op());
    await assert.rejects(a.spawn(spec(), op()), /disk full/);
    await a.spawn(spec(), op());
    assert.equal((await a.listInstances(op())).length, 1);

    const s = spec();
    await a.spawn(s, op());
    rack.inject({ op: 'powerOff', times: Infinity });
    await assert.rejects(a.powerOff(s.id, 0, op()));
    await assert.rejects(a.powerOff(s.id, 0, op()));
    assert.equal((await a.getInfo(s.id, op())).powerState, 'running');
    rack.clearFaults();
    await a.powerOff(s.id, 0, op());

    rack.inject({ op: 'destroy' });
    await assert.rejects(a.destroy(s.id, op()));
    assert.equal((await a.getInfo(s.id, op())).powerState, 'shutdown');
    await a.destroy(s.id, op());

    rack.inject({ op: 'ping', host: 'demo-2' });
    await a.ping(op());
    await assert.rejects(b.ping(op()));
    await b.ping(op());
  });

  it('a host switched off rejects every call until it is switched back on', async () => {
    const rack = new FakeRack({ delayScale: 0 });
    const d = rack.driverFor('demo-1', CAPACITY);
    const s = spec();
    await d.spawn(s, op());
    rack.setHostDown('demo-1', true);
    await assert.rejects(d.ping(op()), (e) => e instanceof DeskError && e.code === 'Unavailable' && /demo-1/.test(e.message));
    await assert.rejects(d.getInfo(s.id, op()), (e) => e instanceof DeskError && e.code === 'Unavailable');
    await assert.rejects(d.spawn(spec(), op()), (e) => e instanceof DeskError && e.code === 'Unavailable');
    rack.setHostDown('demo-1', false);
    await d.ping(op());
    assert.equal((await d.getInfo(s.id, op())).powerState, 'running');
  });

  it('with delay scale 0 every operation completes on microtasks alone, without timers', async () => {
    const rack = new FakeRack({ delayScale: 0 });
    const d = rack.driverFor('demo-1', CAPACITY);
    const s = spec();
    // If any operation armed a timer, this immediate would run first and flip the flag.
    let macrotaskRan = false;
    const immediate = setImmediate(() => (macrotaskRan = true));
    await d.spawn(s, op());
    await d.powerOff(s.id, 60, op());
    await d.powerOn(s.id, op());
    await d.reboot(s.id, 'SOFT', op());
    await d.reboot(s.id, 'HARD', op());
    await d.destroy(s.id, op());
    clearImmediate(immediate);
    assert.equal(macrotaskRan, false);
  });

  it('an abort mid-spawn (with real delays) rejects with the reason and leaves nothing', async () => {
    const rack = new FakeRack({ delayScale: 0.05 });
    const d = rack.driverFor('demo-1', CAPACITY);
    const s = spec();
    const ac = new AbortController();
    const logged: string[] = [];
    const pending = d.spawn(s, { signal: ac.signal, log: (l) => logged.push(l) });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(await d.listInstances(op()), [{ id: s.id, powerState: 'nostate' }]);
    const reason = new Error('user cancelled');
    ac.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
    assert.deepEqual(await d.listInstances(op()), []);
    assert.ok(logged.some((l) => l.includes('image cache')));
  });

  it('the console grows with power events and ends at a login prompt with the hostname', async () => {
    const rack = new FakeRack({ delayScale: 0 });
    const d = rack.driverFor('demo-1', CAPACITY);
    const s = spec({ hostname: 'app-7' });
    await d.spawn(s, op());
    const first = (await d.consoleOutput(s.id, undefined, op())).split('\n');
    assert.match(first[0], /Linux version/);
    assert.ok(first.some((l) => l.includes('Cloud-init') && l.includes('finished')));
    assert.ok(first.some((l) => l.includes('10.0.0.5')));
    assert.equal(first.at(-1), 'app-7 login: ');
    await d.reboot(s.id, 'SOFT', op());
    const second = (await d.consoleOutput(s.id, undefined, op())).split('\n');
    assert.ok(second.length > first.length);
    assert.ok(second.some((l) => l.includes('Restarting system')));
    assert.deepEqual(await d.consoleOutput(s.id, 1, op()), 'app-7 login: ');
  });

  it('keeps what the guest was handed, across a restart: user_data byte for byte, the key in the meta-data', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'rack.json');
      const d = new FakeRack({ stateFile: file, delayScale: 0 }).driverFor('demo-1', CAPACITY);
      const script = Buffer.from('#!/bin/sh\necho hi\n\xff', 'latin1');
      const plain = spec({ userData: script });
      const drive = spec({ userData: script, configDrive: true });
      await d.spawn(plain, op());
      await d.spawn(drive, op());
      const rack = new FakeRack({ stateFile: file, delayScale: 0 });
      const seed = rack.guestFiles('demo-1', plain.id)!;
      assert.ok(seed.get('user-data')!.equals(script));
      assert.match(seed.get('meta-data')!.toString(), /^public-keys:\n {2}- "ssh-ed25519 AAAA test"$/m);
      const cd = rack.guestFiles('demo-1', drive.id)!;
      assert.ok(cd.get('openstack/latest/user_data')!.equals(script));
      assert.deepEqual(JSON.parse(cd.get('openstack/latest/meta_data.json')!.toString()).public_keys, { demo: 'ssh-ed25519 AAAA test' });
      const console = await rack.driverFor('demo-1', CAPACITY).consoleOutput(plain.id, undefined, op());
      assert.match(console, /Datasource DataSourceNoCloud/);
      assert.match(console, /1 authorized SSH key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rebuild hands the guest new data (user_data, key, hostname, admin_pass) and a fresh console; an injected fault leaves it as it was', async () => {
    const rack = new FakeRack({ delayScale: 0 });
    const d = rack.driverFor('demo-1', CAPACITY);
    const s = spec({ configDrive: true, userData: Buffer.from('old'), hostname: 'old-name' });
    await d.spawn(s, op());
    await d.reboot(s.id, 'SOFT', op());
    rack.inject({ op: 'rebuild', host: 'demo-1' });
    await assert.rejects(d.rebuild({ ...s, hostname: 'never' }, op()), /injected rebuild failure/);
    assert.ok(rack.guestFiles('demo-1', s.id)!.get('openstack/latest/user_data')!.equals(Buffer.from('old')), 'the failed rebuild changed nothing');
    assert.equal((await d.getInfo(s.id, op())).powerState, 'running');

    const next = { ...s, image: { ...IMAGE, id: 'debian' }, hostname: 'new-name', userData: Buffer.from('new'), keys: [], adminPass: 'Secr3t!' };
    await d.rebuild(next, op());
    const files = rack.guestFiles('demo-1', s.id)!;
    assert.ok(files.get('openstack/latest/user_data')!.equals(Buffer.from('new')));
    const meta = JSON.parse(files.get('openstack/latest/meta_data.json')!.toString());
    assert.deepEqual([meta.hostname, meta.admin_pass, meta.public_keys, meta.uuid], ['new-name', 'Secr3t!', undefined, s.id]);
    const lines = (await d.consoleOutput(s.id, undefined, op())).split('\n');
    assert.equal(lines.filter((l) => l.includes('Linux version')).length, 1, 'one boot since the rebuild: the console started over');
    assert.ok(lines.some((l) => l.includes('Hostname set to <new-name>')));
    assert.ok(lines.some((l) => l.includes('no authorized SSH keys')));
  });

  it('failure-injecting host subclasses: reschedule fails once per instance, build-abort always', async () => {
    const rack = new FakeRack({ delayScale: 0 });
    const flaky = rack.driverFor('flaky', CAPACITY, FakeRescheduleDriver);
    const broken = rack.driverFor('broken', CAPACITY, FakeBuildAbortDriver);
    const s = spec();
    await assert.rejects(flaky.spawn(s, op()), /try another host/);
    assert.deepEqual(await flaky.listInstances(op()), []);
    await flaky.spawn(s, op());
    await assert.rejects(broken.spawn(spec(), op()), /read-only/);
    assert.deepEqual(await broken.listInstances(op()), []);
  });

  it('a corrupt state file is refused with a message that says what to do', () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'rack.json');
      const rack = new FakeRack({ stateFile: file, delayScale: 0 });
      rack.driverFor('demo-1', CAPACITY);
      rack.flush();
      writeFileSync(file, '{not json');
      assert.throws(() => new FakeRack({ stateFile: file, delayScale: 0 }), /move it away/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
