// Issue acceptance on real parts: `deskstack serve` (a child process) adds two test-rack hosts
// (sshd + libvirtd) through the contract the UI uses, provisions them, boots the tiny guest image
// through the OpenStack APIs, reads each guest's marker through os-getConsoleOutput, drives power
// operations, rebuilds a guest from its image with new data, survives being killed mid-build, and leaves
// nothing behind on the hosts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../helpers/api-client';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { rackUnavailableReason } from '../rack/available';
import { buildGuestImage } from '../rack/guest-image';
import { startRack, type Rack, type RackHost } from '../rack/rack';

const skip = rackUnavailableReason({ guestImage: true });
const PASSWORD = 'rack-admin-secret';
const MICROVERSION = { 'OpenStack-API-Version': 'compute 2.79' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const virsh = (h: RackHost, ...args: string[]) => h.exec(['virsh', '-c', 'qemu:///system', ...args]);

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (last !== undefined) return last;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function serverIn(api: ApiClient, id: string, statuses: string[], timeoutMs = 180_000): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return waitFor(`server ${id} to reach ${statuses.join('/')}`, timeoutMs, async () => {
    const r = await api.rest('GET', `/compute/v2.1/servers/${id}`, undefined, MICROVERSION);
    if (r.status === 404 && statuses.includes('DELETED')) return { status: 'DELETED' };
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (r.body.server.status === 'ERROR' && !statuses.includes('ERROR') && !statuses.includes('DELETED')) throw new Error(`server ${id} went to ERROR: ${JSON.stringify(r.body.server.fault)}`);
    return statuses.includes(r.body.server.status) && r.body.server['OS-EXT-STS:task_state'] === null ? r.body.server : undefined;
  });
}

async function consoleLog(api: ApiClient, id: string): Promise<string> {
  const r = await api.rest('POST', `/compute/v2.1/servers/${id}/action`, { 'os-getConsoleOutput': { length: 200 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.output as string;
}

async function addHosts(api: ApiClient, rack: Rack): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const h of rack.hosts) {
    const probe = await api.rpc('hostProbe', { address: h.ip });
    assert.equal(probe.body.fingerprint, h.hostKeyFingerprint, 'the probe shows the pinned host key');
    const added = await api.rpc('hostAdd', { address: h.ip, auth: { password: h.password }, hostKeyFingerprint: probe.body.fingerprint });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    ids[h.name] = added.body.host.id;
    const pre = await api.waitTask(added.body.preflightTaskId);
    assert.equal(pre.state, 'succeeded', JSON.stringify(pre.error));
  }
  // Provisioning both at once is safe: apt never runs on two hosts together.
  const tasks = await Promise.all(rack.hosts.map((h) => api.rpc('hostProvision', { id: ids[h.name] })));
  for (const t of tasks) {
    assert.equal(t.status, 200, JSON.stringify(t.body));
    const done = await api.waitTask(t.body.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
  }
  return ids;
}

test('a cloud on the test rack: hosts, image, guests, power, crash, cleanup', { skip, timeout: 1_500_000 }, async (t) => {
  const [rack, guest] = await Promise.all([startRack({ hosts: 2 }), buildGuestImage()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-rack-cloud-'));
  const env = { DESKSTACK_ADMIN_PASSWORD: PASSWORD, DESKSTACK_HEALTH_INTERVAL_MS: '2000' };
  let serve: ServeProcess = await startServeProcess({ dataDir, env });
  const pwned = `/tmp/deskstack-pwned-${randomBytes(6).toString('hex')}`;
  try {
    let api = await ApiClient.login(serve.url, PASSWORD);
    const hostIds = await addHosts(api, rack);
    const imageId = await api.uploadImage('$(reboot)', readFileSync(guest.path));
    const servers: Array<{ id: string; name: string; host: string; ip: string; adminPass: string }> = [];

    await t.test('two instances spread over the two hosts and print their seeded hostname', async () => {
      const names = [`x'; touch ${pwned}; '`, 'rack-b'];
      const created = await Promise.all(
        // rack-b gets a config drive (where Nova puts the admin password), the other a NoCloud seed.
        names.map((name) => api.rest('POST', '/compute/v2.1/servers', { server: { name, imageRef: imageId, flavorRef: '1', networks: 'auto', config_drive: name === 'rack-b' } }, MICROVERSION)),
      );
      for (const [i, c] of created.entries()) {
        assert.equal(c.status, 202, JSON.stringify(c.body));
        const s = await serverIn(api, c.body.server.id, ['ACTIVE']);
        const ip = (Object.values(s.addresses)[0] as Array<{ addr: string }>)[0].addr;
        servers.push({ id: s.id, name: names[i], host: s['OS-EXT-SRV-ATTR:host'], ip, adminPass: c.body.server.adminPass });
      }
      assert.deepEqual(servers.map((s) => s.host).sort(), rack.hosts.map((h) => h.name).sort(), 'the scheduler spreads them, one per host');
      for (const s of servers) {
        const hostname = s.name === 'rack-b' ? 'rack-b' : undefined;
        const line = await waitFor(`the guest marker of ${s.id}`, 240_000, async () =>
          (await consoleLog(api, s.id)).split('\n').find((l) => l.includes('DESKSTACK-GUEST-READY')),
        );
        if (hostname) assert.match(line, new RegExp(`hostname=${hostname}\\b`));
        else assert.match(line, /hostname=\S+/);
        assert.match(line, new RegExp(`ip=${s.ip.replaceAll('.', '\\.')}\\b`), 'the guest got the fixed IP DeskStack shows');
      }
      assert.equal(existsSync(pwned), false, 'a hostile server name executed nothing');
    });

    await t.test('stop, start and reboot follow the real domains', async () => {
      const [s] = servers;
      const host = rack.hosts.find((h) => h.name === s.host)!;
      assert.equal((await api.rest('POST', `/compute/v2.1/servers/${s.id}/action`, { 'os-stop': null })).status, 202);
      await serverIn(api, s.id, ['SHUTOFF']);
      assert.match((await virsh(host, 'domstate', s.id)).stdout, /shut off/);
      assert.equal((await api.rest('POST', `/compute/v2.1/servers/${s.id}/action`, { 'os-start': null })).status, 202);
      await serverIn(api, s.id, ['ACTIVE']);
      assert.match((await virsh(host, 'domstate', s.id)).stdout, /running/);
      assert.equal((await api.rest('POST', `/compute/v2.1/servers/${s.id}/action`, { reboot: { type: 'HARD' } })).status, 202);
      await serverIn(api, s.id, ['ACTIVE']);
      assert.match((await virsh(host, 'domstate', s.id)).stdout, /running/);
    });

    await t.test('rebuild boots the guest again from the image with the new hostname, user_data and admin password, keeping its IP and MAC', async () => {
      const s = servers[1];
      const host = rack.hosts.find((h) => h.name === s.host)!;
      const metaData = async () => JSON.parse((await host.exec(['cat', `/var/lib/deskstack/instances/${s.id}/seed/openstack/latest/meta_data.json`])).stdout);
      assert.equal((await metaData()).admin_pass, s.adminPass, 'the create’s admin password is on the config drive');
      const before = await serverIn(api, s.id, ['ACTIVE']);
      const script = Buffer.from('#!/bin/sh\necho "REBUILT-USERDATA $((6 * 7)) on $(hostname)"\n');
      const r = await api.rest(
        'POST',
        `/compute/v2.1/servers/${s.id}/action`,
        { rebuild: { imageRef: imageId, name: 'rack-b2', hostname: 'rack-b-rebuilt', user_data: script.toString('base64'), adminPass: 'Rebuilt-Passw0rd' } },
        { 'OpenStack-API-Version': 'compute 2.90' },
      );
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual([r.body.server.status, r.body.server.adminPass], ['REBUILD', 'Rebuilt-Passw0rd']);
      const after = await serverIn(api, s.id, ['ACTIVE']);
      assert.deepEqual([after.name, after.addresses, after['OS-EXT-SRV-ATTR:host']], ['rack-b2', before.addresses, s.host], 'same IP, MAC and host');
      const log = await waitFor(`the rebuilt guest's marker`, 240_000, async () => {
        const out = await consoleLog(api, s.id);
        return out.includes('DESKSTACK-GUEST-READY') ? out : undefined;
      });
      assert.match(log, new RegExp(`DESKSTACK-GUEST-READY hostname=rack-b-rebuilt ip=${s.ip.replaceAll('.', '\\.')}\\b`));
      assert.match(log, /REBUILT-USERDATA 42 on rack-b-rebuilt/);
      assert.doesNotMatch(log, /hostname=rack-b ip=/, 'the console is the rebuilt guest’s alone');
      assert.equal((await metaData()).admin_pass, 'Rebuilt-Passw0rd');
      assert.equal((await host.exec(['stat', '-c', '%a', `/var/lib/deskstack/instances/${s.id}/seed/openstack/latest/meta_data.json`])).stdout.trim(), '600');
      const actions = await api.rest('GET', `/compute/v2.1/servers/${s.id}/os-instance-actions`);
      assert.equal(actions.body.instanceActions[0].action, 'rebuild');
    });

    await t.test('the control plane killed mid-build settles the instance at restart, with no orphan domain', async () => {
      const c = await api.rest('POST', '/compute/v2.1/servers', { server: { name: 'crash-me', imageRef: imageId, flavorRef: '1', networks: 'auto' } }, MICROVERSION);
      assert.equal(c.status, 202);
      const id = c.body.server.id as string;
      await waitFor('the build to reach spawning', 60_000, async () => {
        const r = await api.rest('GET', `/compute/v2.1/servers/${id}`);
        return r.body.server['OS-EXT-STS:task_state'] === 'spawning' ? true : undefined;
      });
      await serve.kill();
      serve = await startServeProcess({ dataDir, env });
      api = await ApiClient.login(serve.url, PASSWORD);
      const s = await serverIn(api, id, ['ACTIVE', 'ERROR']);
      const where = await Promise.all(rack.hosts.map(async (h) => ((await virsh(h, 'list', '--all', '--name')).stdout.includes(id) ? h.name : null)));
      const on = where.filter(Boolean);
      if (s.status === 'ACTIVE') assert.deepEqual(on, [s['OS-EXT-SRV-ATTR:host']]);
      else assert.deepEqual(on, [], 'an ERROR instance leaves no domain behind');
      assert.equal((await api.rest('DELETE', `/compute/v2.1/servers/${id}`)).status, 204);
      await serverIn(api, id, ['DELETED']);
    });

    await t.test('delete leaves no domain, disk, seed or DHCP reservation on any host', async () => {
      for (const s of servers) assert.equal((await api.rest('DELETE', `/compute/v2.1/servers/${s.id}`)).status, 204);
      for (const s of servers) await serverIn(api, s.id, ['DELETED']);
      for (const h of rack.hosts) {
        assert.equal((await virsh(h, 'list', '--all', '--name')).stdout.trim(), '', `${h.name} has no domain left`);
        assert.equal((await h.exec(['ls', '-A', '/var/lib/deskstack/instances'])).stdout.trim(), '', `${h.name} has no instance folder left`);
        assert.doesNotMatch((await virsh(h, 'net-dumpxml', 'default')).stdout, /<host mac=/, `${h.name} has no DHCP reservation left`);
      }
      assert.equal(existsSync(pwned), false);
      const hosts = (await api.rpc('hostList')).body as Array<{ id: string; state: string }>;
      for (const id of Object.values(hostIds)) assert.equal(hosts.find((h) => h.id === id)?.state, 'up');
    });
  } finally {
    await serve.stop();
    await rack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(pwned, { force: true });
  }
});
