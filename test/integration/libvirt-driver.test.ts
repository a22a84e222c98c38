// The libvirt driver on a real rack host over a real SshExecutor: the shared driver suite, then
// libvirt-specific checks on one booted guest (marker, console, VNC, image cache, hostile names).
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { DeskError } from '../../main/core/errors';
import { SshExecutor } from '../../main/drivers/executor/ssh-executor';
import { LibvirtDriver } from '../../main/drivers/libvirt/libvirt-driver';
import type { ImageSpec, InstanceSpec, NicSpec, OpContext } from '../../main/drivers/types';
import { rackUnavailableReason } from '../rack/available';
import { buildGuestImage } from '../rack/guest-image';
import { startRack, type Rack, type RackHost } from '../rack/rack';
import { runDriverSuite } from '../unit/drivers/driver-suite';

const skip = rackUnavailableReason({ guestImage: true });
const BOOT_TIMEOUT_MS = 180_000;
const NICS: NicSpec[] = [{ networkId: 'private', hostNetwork: 'default', mac: '' }];
const op = (log?: (l: string) => void): OpContext => ({ signal: new AbortController().signal, log });

let shared: Promise<{ rack: Rack; host: RackHost; image: ImageSpec }> | undefined;
function rackWithImage(): Promise<{ rack: Rack; host: RackHost; image: ImageSpec }> {
  shared ??= (async () => {
    const built = await buildGuestImage();
    const rack = await startRack({ hosts: 1 });
    const image: ImageSpec = { id: `guest-${randomUUID().slice(0, 8)}`, path: built.path, diskFormat: 'qcow2', sizeBytes: statSync(built.path).size };
    return { rack, host: rack.hosts[0], image };
  })();
  return shared;
}
after(async () => (await shared?.catch(() => undefined))?.rack.stop());

function executorFor(host: RackHost, fingerprint = host.hostKeyFingerprint): SshExecutor {
  return new SshExecutor({ host: host.ip, port: host.port, username: host.user, privateKey: readFileSync(host.privateKeyPath), hostKeyFingerprint: fingerprint });
}

function driverFor(host: RackHost): LibvirtDriver {
  return new LibvirtDriver(executorFor(host), { stateDir: '/var/lib/deskstack', virtType: 'qemu', hostName: host.name, softRebootTimeoutSeconds: 60 });
}

async function virshNames(host: RackHost): Promise<string[]> {
  return (await host.exec(['virsh', '-c', 'qemu:///system', 'list', '--all', '--name'])).stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}

async function waitForConsole(driver: LibvirtDriver, id: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  for (;;) {
    const out = await driver.consoleOutput(id, undefined, op());
    const line = out.split('\n').find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > deadline) assert.fail(`no ${pattern} on the console within ${BOOT_TIMEOUT_MS} ms:\n${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

if (skip) {
  test('libvirt driver on the test rack', { skip }, () => undefined);
} else {
  runDriverSuite('libvirt over SSH on a rack host', async () => {
    const { host, image } = await rackWithImage();
    const driver = driverFor(host);
    return {
      driver,
      image,
      nics: NICS,
      bootTimeoutMs: BOOT_TIMEOUT_MS,
      cleanup: async () => {
        for (const name of await virshNames(host)) await driver.destroy(name, op());
        await driver.close();
      },
    };
  });

  describe('libvirt driver specifics', { timeout: 600_000 }, () => {
    let host: RackHost;
    let image: ImageSpec;
    let driver: LibvirtDriver;
    before(async () => {
      ({ host, image } = await rackWithImage());
      driver = driverFor(host);
    });
    after(async () => driver?.close());

    it('boots a guest with hostile names: marker with the seed hostname, one image copy, serial and VNC consoles, nothing executed, nothing left', async (t) => {
      const tag = randomUUID().slice(0, 8);
      const markers = [`/tmp/deskstack-pwned-name-${tag}`, `/tmp/deskstack-pwned-image-${tag}`];
      const hostileImage: ImageSpec = { ...image, id: `$(touch ${markers[1]})` };
      const spec = (hostname: string): InstanceSpec => ({
        id: randomUUID(),
        name: `x'; touch ${markers[0]}; '`,
        hostname,
        vcpus: 1,
        memoryMb: 256,
        diskGb: 1,
        image: hostileImage,
        nics: NICS,
        keys: [{ name: "k'ey\"", type: 'ssh', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeskStackTestKeyOnlyForTheSeed a\'b"c' }],
        userData: Buffer.from(`#!/bin/sh\necho "$(touch ${markers[0]})"\n`),
        metadata: { "k'ey": `<v>&$(touch ${markers[0]})` },
      });
      const a = spec(`ds-guest-${tag}`);
      const b = spec(`ds-other-${tag}`);
      const logs: string[] = [];
      const t0 = Date.now();
      await Promise.all([driver.spawn(a, op((l) => logs.push(l))), driver.spawn(b, op((l) => logs.push(l)))]);
      const controlPlaneMs = Date.now() - t0;
      assert.equal(logs.filter((l) => l.startsWith('copying image')).length, 1, `two concurrent spawns copy the image once:\n${logs.join('\n')}`);
      await driver.destroy(b.id, op());
      const t1 = Date.now();
      const line = await waitForConsole(driver, a.id, /^DESKSTACK-GUEST-READY /);
      t.diagnostic(`control plane to 2 domains started (image copied once): ${controlPlaneMs} ms; guest boot to marker: ${Date.now() - t1} ms`);
      assert.match(line, new RegExp(`^DESKSTACK-GUEST-READY hostname=${a.hostname} ip=192\\.168\\.122\\.\\d+$`));

      const images = readdirSync(join(host.dir, 'var-lib-deskstack', 'images')).filter((f) => !f.endsWith('.lock'));
      assert.ok(images.every((f) => /^[A-Za-z0-9._-]+$/.test(f)), `cache names are safe: ${images.join(' ')}`);

      const xml = (await host.exec(['virsh', '-c', 'qemu:///system', 'dumpxml', a.id])).stdout;
      const title = /<title>([^<]*)<\/title>/.exec(xml)?.[1].replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      assert.equal(title, a.name, 'the hostile name is kept verbatim as data');

      // serial console: the guest's root shell answers
      const serial = await driver.openConsole(a.id, 'serial', op());
      let seen = '';
      serial.on('data', (d: Buffer) => (seen += d.toString()));
      const deadline = Date.now() + 30_000;
      while (!seen.includes('CONSOLE-42') && Date.now() < deadline) {
        serial.write('echo CONSOLE-$((6*7))\r');
        await new Promise((r) => setTimeout(r, 1000));
      }
      serial.destroy();
      assert.ok(seen.includes('CONSOLE-42'), `the serial console runs commands in the guest; got:\n${seen.slice(-500)}`);

      // VNC: an RFB greeting through the SSH tunnel
      const vnc = await driver.openConsole(a.id, 'vnc', op());
      const greeting = await new Promise<string>((r) => vnc.once('data', (d: Buffer) => r(d.toString())));
      vnc.destroy();
      assert.match(greeting, /^RFB \d{3}\.\d{3}\n$/);
      assert.equal((await driver.getInfo(a.id, op())).powerState, 'running', 'closing consoles leaves the guest running');

      await driver.destroy(a.id, op());
      assert.deepEqual((await virshNames(host)).filter((n) => n === a.id || n === b.id), []);
      for (const id of [a.id, b.id]) assert.equal(existsSync(join(host.dir, 'var-lib-deskstack', 'instances', id)), false, 'instance dir, disk and seed are gone');
      for (const m of markers) {
        assert.equal(existsSync(m), false, `${m} exists: something was executed`);
        assert.equal((await host.exec(['test', '-e', m])).code, 1);
      }
    });

    it("hands user_data byte for byte and the key pair in the meta-data, on a NoCloud seed and a config drive; pins fixed IPs in the subnet only", async () => {
      const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeskStackUserDataTestKey rack@desk "quoted"';
      const script = Buffer.from('#!/bin/sh\necho "USERDATA-RAN $((6 * 7)) on $(hostname)"\n');
      const mac = (): string => `52:54:00:${randomUUID().slice(0, 6).replace(/(..)(?!$)/g, '$1:')}`;
      const fixed = `192.168.122.${100 + Math.floor(Math.random() * 100)}`;
      const make = (configDrive: boolean, ip: string): InstanceSpec => {
        const id = randomUUID();
        return {
          id, name: `ud-${id.slice(0, 8)}`, hostname: `ud-${id.slice(0, 8)}`, vcpus: 1, memoryMb: 256, diskGb: 1, image,
          nics: [{ networkId: 'private', hostNetwork: 'default', mac: mac(), ip }],
          keys: [{ name: 'rack', type: 'ssh', publicKey: key }], userData: script, metadata: {}, configDrive,
        };
      };
      const seeded = make(false, fixed);
      const drive = make(true, '10.9.9.9');
      const logs: string[] = [];
      await Promise.all([driver.spawn(seeded, op()), driver.spawn(drive, op((l) => logs.push(l)))]);
      assert.ok(logs.some((l) => l.includes('fixed IP 10.9.9.9 is outside libvirt network default')), logs.join('\n'));
      const hosts = (await host.exec(['virsh', '-c', 'qemu:///system', 'net-dumpxml', 'default'])).stdout;
      assert.ok(hosts.includes(`<host mac='${seeded.nics[0].mac}' ip='${fixed}'/>`), hosts);
      assert.ok(!hosts.includes('10.9.9.9'), 'nothing reserved outside the subnet');

      const sha = createHash('sha256').update(script).digest('hex');
      for (const [s, label] of [[seeded, 'cidata'], [drive, 'config-2']] as const) {
        const ready = await waitForConsole(driver, s.id, /^DESKSTACK-GUEST-READY /);
        const out = await driver.consoleOutput(s.id, undefined, op());
        assert.ok(out.includes(`DESKSTACK-GUEST-SEED label=${label}\n`), out.slice(-2000));
        assert.ok(out.includes(`DESKSTACK-GUEST-USERDATA bytes=${script.length} sha256=${sha}\n`), `the guest got the user_data unchanged:\n${out.slice(-2000)}`);
        assert.ok(out.includes(`USERDATA-RAN 42 on ${s.hostname}\n`), `the script ran in the guest:\n${out.slice(-2000)}`);
        assert.deepEqual(out.split('\n').filter((l) => l.startsWith('DESKSTACK-GUEST-KEY ')), [`DESKSTACK-GUEST-KEY ${key}`]);
        if (s === seeded) assert.match(ready, new RegExp(`ip=${fixed.replace(/\./g, '\\.')}$`), 'the guest got its fixed IP');
      }
      await Promise.all([driver.destroy(seeded.id, op()), driver.destroy(drive.id, op())]);
      const after = (await host.exec(['virsh', '-c', 'qemu:///system', 'net-dumpxml', 'default'])).stdout;
      assert.ok(!after.includes(seeded.nics[0].mac), 'destroy released the reservation');
    });

    it('rebuild on a real host: the guest boots the other image with its new hostname and user_data, the same fixed IP, a fresh console', async (t) => {
      const id = randomUUID();
      const tag = id.slice(0, 8);
      const mac = `52:54:00:${id.slice(0, 6).replace(/(..)(?!$)/g, '$1:')}`;
      const fixed = `192.168.122.${100 + Math.floor(Math.random() * 100)}`;
      const before: InstanceSpec = {
        id, name: `rb-${tag}`, hostname: `ds-before-${tag}`, vcpus: 1, memoryMb: 256, diskGb: 1, image,
        nics: [{ networkId: 'private', hostNetwork: 'default', mac, ip: fixed }], keys: [], metadata: {}, configDrive: true,
        userData: Buffer.from('#!/bin/sh\necho BEFORE\n'), adminPass: 'first',
      };
      await driver.spawn(before, op());
      assert.match(await waitForConsole(driver, id, /^DESKSTACK-GUEST-READY /), new RegExp(`hostname=ds-before-${tag} `));
      const script = Buffer.from('#!/bin/sh\necho "AFTER $((6 * 7))"\n');
      const after: InstanceSpec = { ...before, image: { ...image, id: `${image.id}-alt` }, hostname: `ds-after-${tag}`, userData: script, adminPass: 'Rebuilt-Passw0rd' };
      const t0 = Date.now();
      await driver.rebuild(after, op());
      const rebuildMs = Date.now() - t0;
      const line = await waitForConsole(driver, id, /^DESKSTACK-GUEST-READY /);
      t.diagnostic(`rebuild, other image copied to the host included: ${rebuildMs} ms; guest boot to marker: ${Date.now() - t0 - rebuildMs} ms`);
      assert.equal(line, `DESKSTACK-GUEST-READY hostname=ds-after-${tag} ip=${fixed}`);
      const out = await driver.consoleOutput(id, undefined, op());
      assert.ok(!out.includes('ds-before') && !out.includes('BEFORE'), `the console is the rebuilt guest's alone:\n${out.slice(-2000)}`);
      assert.ok(out.includes(`DESKSTACK-GUEST-USERDATA bytes=${script.length} sha256=${createHash('sha256').update(script).digest('hex')}\n`), out.slice(-2000));
      assert.ok(out.includes('AFTER 42\n'), out.slice(-2000));
      const seedFile = join(host.dir, 'var-lib-deskstack', 'instances', id, 'seed', 'openstack', 'latest', 'meta_data.json');
      assert.equal(JSON.parse(readFileSync(seedFile, 'utf8')).admin_pass, 'Rebuilt-Passw0rd');
      assert.equal(statSync(seedFile).mode & 0o777, 0o600);
      const xml = (await host.exec(['virsh', '-c', 'qemu:///system', 'dumpxml', id])).stdout;
      assert.match(xml, new RegExp(`<mac address='${mac}'/>`), 'the same MAC');
      assert.ok((await host.exec(['virsh', '-c', 'qemu:///system', 'net-dumpxml', 'default'])).stdout.includes(`<host mac='${mac}' ip='${fixed}'/>`), 'the fixed IP is still pinned');
      await driver.destroy(id, op());
      assert.ok(!(await host.exec(['virsh', '-c', 'qemu:///system', 'net-dumpxml', 'default'])).stdout.includes(mac));
    });

    it('a spawn with a cached image is one command on the host, fixed IP included', async () => {
      const calls: string[] = [];
      const real = executorFor(host);
      const counted = ['run', 'runChecked', 'putFile', 'writeFile', 'readFile', 'openStream', 'openTunnel'];
      const executor = new Proxy(real, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (counted.includes(String(prop))) calls.push(`${String(prop)} ${Array.isArray(args[0]) ? args[0][0] : String(args[0])}`);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      const d = new LibvirtDriver(executor, { stateDir: '/var/lib/deskstack', virtType: 'qemu', hostName: host.name });
      const spec = (): InstanceSpec => {
        const id = randomUUID();
        const mac = `52:54:00:${id.slice(0, 6).replace(/(..)(?!$)/g, '$1:')}`;
        return { id, name: 'one', hostname: 'one', vcpus: 1, memoryMb: 128, diskGb: 1, image, nics: [{ networkId: 'private', hostNetwork: 'default', mac, ip: `192.168.122.${200 + Math.floor(Math.random() * 50)}` }], keys: [], metadata: {} };
      };
      const warm = spec();
      await d.spawn(warm, op()); // copies the image if no earlier test did
      await d.destroy(warm.id, op());
      calls.length = 0;
      const s = spec();
      await d.spawn(s, op());
      assert.deepEqual(calls, ['run sh'], 'one script, no other command, no SFTP');
      assert.equal((await d.getInfo(s.id, op())).powerState, 'running', 'started, not left paused');
      await d.destroy(s.id, op());
      await d.close();
    });

    it('a spawn cancelled while the host script starts the domain unwinds what the script had made', async () => {
      const id = randomUUID();
      const mac = `52:54:00:${id.slice(0, 6).replace(/(..)(?!$)/g, '$1:')}`;
      const ac = new AbortController();
      const reason = new DeskError('Conflict', 'cancelled while starting');
      const logs: string[] = [];
      const spec: InstanceSpec = { id, name: 'cancel', hostname: 'cancel', vcpus: 1, memoryMb: 128, diskGb: 1, image, nics: [{ networkId: 'private', hostNetwork: 'default', mac, ip: '192.168.122.250' }], keys: [], metadata: {} };
      const warm = { ...spec, id: randomUUID() };
      await driver.spawn(warm, op()); // caches the image, so the next spawn is the script alone
      await driver.destroy(warm.id, op());
      const log = (l: string): void => {
        logs.push(l);
        if (l === `starting domain ${id}`) ac.abort(reason);
      };
      await assert.rejects(driver.spawn(spec, { signal: ac.signal, log }), (e) => e === reason);
      assert.ok(logs.includes(`undone: domain ${id}`), logs.join('\n'));
      assert.ok(!(await virshNames(host)).includes(id), 'no domain left');
      assert.equal(existsSync(join(host.dir, 'var-lib-deskstack', 'instances', id)), false, 'no instance folder left');
      const net = (await host.exec(['virsh', '-c', 'qemu:///system', 'net-dumpxml', 'default'])).stdout;
      assert.ok(!net.includes(mac), `no reservation left:\n${net}`);
    });

    it('a spawn failing after the domain is defined unwinds everything', async () => {
      const id = randomUUID();
      const logs: string[] = [];
      await assert.rejects(
        driver.spawn({ id, name: 'huge', hostname: 'huge', vcpus: 1, memoryMb: 64 * 1024 * 1024, diskGb: 1, image, nics: NICS, keys: [], metadata: {} }, op((l) => logs.push(l))),
        (e) => e instanceof DeskError && /virsh start failed/.test(e.message),
      );
      assert.ok(logs.some((l) => l.startsWith('undone: domain')), logs.join('\n'));
      assert.ok(!(await virshNames(host)).includes(id));
      assert.equal(existsSync(join(host.dir, 'var-lib-deskstack', 'instances', id)), false);
    });

    it('refuses a host whose key is not the pinned one', async () => {
      const wrong = executorFor(host, 'SHA256:' + Buffer.alloc(32, 1).toString('base64').replace(/=+$/, ''));
      await assert.rejects(wrong.run(['true']), (e) => {
        assert.ok(e instanceof DeskError);
        assert.match(e.message, new RegExp(`^host ${host.ip.replace(/\./g, '\\.')}: host key changed: expected SHA256:\\S+, got ${host.hostKeyFingerprint.replace(/[+/]/g, '\\$&')} — if the host was reinstalled, remove and re-add it$`));
        return true;
      });
      const missing = await driver.getInfo(randomUUID(), op()).catch((e: unknown) => e);
      assert.ok(missing instanceof DeskError && missing.code === 'NotFound');
    });
  });
}
