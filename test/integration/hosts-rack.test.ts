// Adding real hosts on the test rack (real sshd + libvirtd) through the UI contract over HTTP:
// trust on first use, password once then DeskStack's key, preflight, idempotent provisioning,
// sshd killed mid-provision, a changed host key, health down/up, and the `deskstack host` CLI.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HostDetailView, TaskView } from '../../main/api/contract/index';
import type { DeskEvent } from '../../main/core/events';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server';
import { rackUnavailableReason } from '../rack/available';
import { startRack, type Rack, type RackHost } from '../rack/rack';

const skip = rackUnavailableReason();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads whatever the contract returned
}

function rpcClient(srv: TestServer, token: string) {
  return async (method: string, input: unknown = {}): Promise<Reply> => {
    const res = await fetch(`${srv.url}/api/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify(input) });
    return { status: res.status, body: await res.json() };
  };
}

async function waitTask(srv: TestServer, id: string, timeoutMs = 300_000): Promise<TaskView> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const t = srv.cp.tasks.get(id);
    if (!['queued', 'running'].includes(t.state)) return t;
    if (Date.now() > end) throw new Error(`task ${t.title} still ${t.state}`);
    await sleep(100);
  }
}

const nsenter = (h: RackHost) => ['--target', String(h.pid), '--mount', '--uts', '--net', '--pid', '--'];

/** Kills every sshd inside one rack host (listener and sessions), synchronously, by PID. */
function killSshd(h: RackHost): number {
  const pids = spawnSync('nsenter', [...nsenter(h), 'pgrep', '-x', 'sshd'], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean);
  if (pids.length) spawnSync('nsenter', [...nsenter(h), 'kill', '-KILL', ...pids]);
  return pids.length;
}

async function startSshd(h: RackHost): Promise<void> {
  const r = await h.exec(['/usr/sbin/sshd', '-f', '/etc/ssh/sshd_config', '-E', join(h.dir, 'logs', 'sshd.log')]);
  assert.equal(r.code, 0, `sshd restart: ${r.stderr}`);
}

function healthEvent(srv: TestServer, hostId: string, state: 'up' | 'down', timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => (off(), reject(new Error(`host never went ${state} within ${timeoutMs} ms`))), timeoutMs);
    const off = srv.cp.bus.subscribe((e: DeskEvent) => {
      if (e.type === 'host.health' && e.hostId === hostId && e.state === state) {
        off();
        clearTimeout(guard);
        resolve(Date.now() - started);
      }
    });
  });
}

test('real hosts on the test rack: add, preflight, provision, faults, health, CLI', { skip, timeout: 900_000 }, async (t) => {
  const rack: Rack = await startRack({ hosts: 2 });
  const srv = await startTestServer({ demo: false });
  try {
    // Short health intervals so "down within 30 s" shows in a few seconds.
    await srv.cp.hosts.start({ intervalMs: 200, downAfterMs: 1500, pingTimeoutMs: 2000 });
    const rpc = rpcClient(srv, await srv.token());
    const [h1, h2] = rack.hosts;
    const ids: Record<string, string> = {};

    await t.test('probe shows each host key for confirmation', async () => {
      for (const h of rack.hosts) {
        const r = await rpc('hostProbe', { address: h.ip });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.fingerprint, h.hostKeyFingerprint);
        assert.equal(r.body.keyType, 'ssh-ed25519');
      }
    });

    await t.test('a host whose live key is not the confirmed one is refused', async () => {
      const r = await rpc('hostAdd', { address: h2.ip, auth: { password: h2.password }, hostKeyFingerprint: h1.hostKeyFingerprint });
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.match(r.body.message, /host key changed/);
      assert.equal(srv.cp.hosts.list().length, 0);
    });

    await t.test('add 2 hosts: password once, then DeskStack key; preflight passes with a kvm warning', async () => {
      for (const h of rack.hosts) {
        const r = await rpc('hostAdd', { address: h.ip, user: 'root', auth: { password: h.password }, hostKeyFingerprint: h.hostKeyFingerprint });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.host.name, h.name, 'named after the machine hostname');
        ids[h.name] = r.body.host.id;
        const task = await waitTask(srv, r.body.preflightTaskId);
        assert.equal(task.state, 'succeeded', JSON.stringify(task.error));
        const keys = await h.exec(['cat', '/root/.ssh/authorized_keys']);
        assert.ok(keys.stdout.includes(srv.cp.hosts.identity().publicKey), "DeskStack's key is authorised");
        const detail = (await rpc('hostGet', { id: ids[h.name] })).body as HostDetailView;
        assert.equal(detail.hostKeyFingerprint, h.hostKeyFingerprint);
        assert.equal(detail.provisionState, 'new');
        const checks = Object.fromEntries(detail.preflight!.checks.map((c) => [c.id, c]));
        assert.equal(checks.os.status, 'pass', checks.os.detail);
        assert.match(checks.os.detail, /Debian GNU\/Linux 12/);
        assert.equal(checks.kvm.status, 'warn');
        assert.ok(checks.kvm.fix);
        assert.equal(detail.preflight!.virtType, 'qemu');
        assert.equal(detail.virtType, 'qemu');
        for (const c of detail.preflight!.checks) if (c.status !== 'pass') assert.ok(c.fix, `${c.id} has a fix`);
      }
      // The password was used once and never stored.
      for (const f of ['deskstack.db', 'deskstack.db-wal']) {
        const p = join(srv.dataDir, f);
        if (existsSync(p)) assert.ok(!readFileSync(p).includes(h1.password), `${f} holds no password`);
      }
      // The same machine twice is a conflict.
      const again = await rpc('hostAdd', { address: h1.ip, auth: { password: h1.password }, hostKeyFingerprint: h1.hostKeyFingerprint });
      assert.equal(again.status, 409);
    });

    await t.test('provision both at once: packages skipped, libvirtd running, dirs, default network, capacity', async () => {
      const tasks = await Promise.all(rack.hosts.map((h) => rpc('hostProvision', { id: ids[h.name] })));
      for (const r of tasks) assert.equal(r.status, 200, JSON.stringify(r.body));
      const busy = await rpc('hostProvision', { id: ids[h1.name] });
      assert.equal(busy.status, 409, 'one host task at a time');
      for (const [i, r] of tasks.entries()) {
        const h = rack.hosts[i];
        const done = await waitTask(srv, r.body.id);
        assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
        const detail = (await rpc('hostGet', { id: ids[h.name] })).body as HostDetailView;
        assert.equal(detail.provisionState, 'ready');
        assert.equal(detail.provisionTaskId, r.body.id);
        const steps = Object.fromEntries(detail.provisionSteps.map((s) => [s.id, s]));
        assert.equal(steps.packages.changed, false, 'every package is already installed on this machine');
        assert.equal(steps.libvirtd.changed, false, 'the rack starts libvirtd itself');
        for (const d of ['images', 'instances', 'seeds']) assert.equal((await h.exec(['test', '-d', `/var/lib/deskstack/${d}`])).code, 0);
        const net = await h.exec(['virsh', '-c', 'qemu:///system', 'net-info', 'default']);
        assert.match(net.stdout, /Active:\s+yes/);
        assert.match(net.stdout, /Autostart:\s+yes/);
        assert.ok(detail.vcpus > 0 && detail.ramMb > 0 && detail.diskGb > 0, 'capacity registered');
        assert.equal(detail.virtType, 'qemu');
      }
    });

    await t.test('re-running provisioning changes nothing and succeeds', async () => {
      const r = await rpc('hostProvision', { id: ids[h1.name] });
      const done = await waitTask(srv, r.body.id);
      assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
      const detail = (await rpc('hostGet', { id: ids[h1.name] })).body as HostDetailView;
      for (const s of detail.provisionSteps) assert.equal(s.changed, false, `${s.id}: ${s.summary}`);
    });

    await t.test('sshd killed mid-provision fails the step clearly; a re-run completes', async () => {
      let killed = 0;
      const off = srv.cp.bus.subscribe((e) => {
        // Synchronous: sshd is gone before the step sends its first command.
        if (e.type === 'task.log' && e.line.startsWith('==> 3/') && killed === 0) killed = killSshd(h2);
      });
      const r = await rpc('hostProvision', { id: ids[h2.name] });
      const failed = await waitTask(srv, r.body.id);
      off();
      assert.ok(killed > 0, 'sshd was running');
      assert.equal(failed.state, 'failed');
      assert.match(failed.error!.message, /^Step "Make sure libvirtd runs" failed on root@/);
      assert.match(failed.error!.message, /run provisioning again/);
      const detail = (await rpc('hostGet', { id: ids[h2.name] })).body as HostDetailView;
      assert.equal(detail.provisionState, 'failed');
      assert.equal(detail.provisionSteps.find((s) => s.id === 'libvirtd')!.status, 'failed');
      await startSshd(h2);
      const again = await rpc('hostProvision', { id: ids[h2.name] });
      const done = await waitTask(srv, again.body.id);
      assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
      assert.equal(srv.cp.hosts.get(ids[h2.name]).provisionState, 'ready');
    });

    await t.test('a host whose sshd stops is shown down, and up again when it returns', async () => {
      const down = healthEvent(srv, ids[h1.name], 'down', 30_000);
      assert.ok(killSshd(h1) > 0);
      await down;
      assert.equal(srv.cp.hosts.get(ids[h1.name]).state, 'down');
      const listed = (await rpc('hostList')).body as Array<{ id: string; state: string }>;
      assert.equal(listed.find((h) => h.id === ids[h1.name])!.state, 'down');
      const up = healthEvent(srv, ids[h1.name], 'up', 30_000);
      await startSshd(h1);
      await up;
      assert.equal(srv.cp.hosts.get(ids[h1.name]).state, 'up');
    });

    await t.test('maintenance and remove', async () => {
      const m = await rpc('hostMaintenance', { id: ids[h2.name], enabled: false, reason: 'disk swap' });
      assert.equal(m.status, 200);
      assert.equal(m.body.enabled, false);
      assert.equal(m.body.disabledReason, 'disk swap');
      const rm = await rpc('hostRemove', { id: ids[h2.name] });
      assert.equal(rm.status, 200, JSON.stringify(rm.body));
      assert.equal((await rpc('hostGet', { id: ids[h2.name] })).status, 404);
    });

    await t.test('CLI: host add --trust-on-first-use --wait against the running server', async () => {
      const env = { ...process.env, DESKSTACK_URL: srv.url, OS_USERNAME: 'admin', OS_PASSWORD: ADMIN_PASSWORD, OS_PROJECT_NAME: 'admin' };
      const cli = (args: string[], input?: string) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['bin/deskstack.mjs', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d));
          child.stderr.on('data', (d: Buffer) => (stderr += d));
          child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
          child.stdin.end(input ?? '');
        });
      const refused = await cli(['host', 'add', h2.ip, '--password-stdin'], `${h2.password}\n`);
      assert.equal(refused.code, 2, refused.stderr);
      assert.ok(refused.stderr.includes(h2.hostKeyFingerprint));
      assert.match(refused.stderr, /--host-key SHA256:|--trust-on-first-use/);
      assert.equal(refused.stderr.trim().split('\n').length, 1, 'one-line error');

      const added = await cli(['host', 'add', h2.ip, '--password-stdin', '--trust-on-first-use', '--wait'], `${h2.password}\n`);
      assert.equal(added.code, 0, added.stderr);
      assert.ok(added.stdout.includes(h2.hostKeyFingerprint));
      assert.match(added.stdout, /PASS Operating system/);
      assert.match(added.stdout, /Preflight of host .*: done/);

      const list = await cli(['host', 'list']);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, new RegExp(`${h2.name}\\s+up\\s+yes\\s+new`));
      const prov = await cli(['host', 'provision', h2.name, '--wait']);
      assert.equal(prov.code, 0, prov.stderr);
      assert.match(prov.stdout, /unchanged: already installed/);
      const show = await cli(['host', 'show', h2.name]);
      assert.match(show.stdout, /provision\s+ready/);
      assert.match(show.stdout, /WARN KVM device/);
      const maint = await cli(['host', 'maintenance', h2.name, 'on']);
      assert.equal(maint.code, 0, maint.stderr);
      const rm = await cli(['host', 'remove', h2.name]);
      assert.equal(rm.code, 0, rm.stderr);
      const gone = await cli(['host', 'show', h2.name]);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /no host named/);
    });

    await t.test('a pinned host whose key changes is refused', async () => {
      const regen = await h1.exec(['sh', '-c', "rm -f /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key"]);
      assert.equal(regen.code, 0, regen.stderr);
      killSshd(h1); // drops the pooled connection, so the next command reconnects and sees the new key
      await startSshd(h1);
      const r = await rpc('hostPreflight', { id: ids[h1.name] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const task = await waitTask(srv, r.body.id);
      assert.equal(task.state, 'failed');
      assert.match(task.error!.message, new RegExp(`host key changed: expected ${h1.hostKeyFingerprint.replace(/[+/]/g, '\\$&')}`));
    });
  } finally {
    await srv.close();
    await rack.stop();
  }
});
