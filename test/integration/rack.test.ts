// Smoke test of the test rack itself (test/rack/): real namespaces, sshd, libvirtd and a TCG guest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { NodeSSH } from 'node-ssh';
import { rackUnavailableReason } from '../rack/available';
import { bootHandGuest, removeHandGuest, waitForMarker } from '../rack/guest-domain';
import { buildGuestImage } from '../rack/guest-image';
import { rackNames } from '../rack/naming';
import { sshArgv, startRack, type Rack } from '../rack/rack';
import { run, runSync } from '../rack/run';
import { findRacks, processRunning as alive } from '../rack/teardown';

const skip = rackUnavailableReason({ guestImage: true });

function netnsPids(ns: string): number[] {
  return runSync(['ip', 'netns', 'pids', ns]).stdout.split(/\s+/).filter(Boolean).map(Number);
}

/** Asserts that nothing named by the rack is left: namespaces, links, processes, state dir, mounts. */
function assertGone(name: string, pids: number[]): void {
  assert.ok(!runSync(['ip', 'netns', 'list']).stdout.includes(`${name}-`), 'a rack network namespace is left');
  assert.ok(!runSync(['ip', '-o', 'link', 'show']).stdout.includes(`${name}-`), 'a rack bridge or veth is left');
  assert.deepEqual(pids.filter(alive), [], 'a rack process is left');
  assert.ok(!existsSync(rackNames(name).dir), 'the rack state dir is left');
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(rackNames(name).dir), 'a rack mount is left');
  assert.ok(!findRacks().includes(name));
}

test('rack: 2 hosts with pinned-key ssh and libvirt, a TCG guest boots with its seed hostname, teardown leaves nothing', { skip, timeout: 600_000 }, async (t) => {
  let started = Date.now();
  const image = await buildGuestImage();
  t.diagnostic(`guest image ${image.built ? 'built' : 'from cache'} in ${Date.now() - started} ms: ${image.path}`);

  started = Date.now();
  const rack: Rack = await startRack({ hosts: 2 });
  t.diagnostic(`rack ${rack.name} with 2 hosts up in ${Date.now() - started} ms`);
  let pids: number[] = [];
  try {
    assert.equal(rack.hosts.length, 2);
    assert.notEqual(rack.hosts[0].hostKeyFingerprint, rack.hosts[1].hostKeyFingerprint, 'each host has its own host key');
    for (const host of rack.hosts) {
      assert.match(host.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
      const version = await run(sshArgv(rack, host, ['virsh', '-c', 'qemu:///system', 'version']));
      assert.equal(version.code, 0, `ssh to ${host.name}: ${version.stderr}`);
      assert.match(version.stdout, /Running hypervisor: QEMU/);
      const name = await run(sshArgv(rack, host, ['hostname']));
      assert.equal(name.stdout.trim(), host.name);
      const kvm = await host.exec(['sh', '-c', 'test -c /dev/kvm && echo device || echo hidden']);
      assert.equal(kvm.stdout.trim(), 'hidden', 'the machine /dev/kvm is hidden inside hosts');
    }
    // Password auth (node-ssh, as DeskStack will use it) with the host key pinned by fingerprint.
    const h2 = rack.hosts[1];
    const ssh = new NodeSSH();
    await ssh.connect({
      host: h2.ip, port: h2.port, username: h2.user, password: h2.password, tryKeyboard: false,
      hostVerifier: (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` === h2.hostKeyFingerprint,
    });
    try {
      assert.equal((await ssh.execCommand('hostname')).stdout.trim(), h2.name);
    } finally {
      ssh.dispose();
    }
    // The machine's own root password is untouched: the host sees a private /etc/shadow.
    assert.ok(!readFileSync('/etc/shadow', 'utf8').includes(h2.password));

    // A wrong pinned key is refused: host 2's key is not host 1's.
    const wrongKey = { ...rack, knownHostsPath: `${rack.dir}/wrong_known_hosts` };
    writeFileSync(wrongKey.knownHostsPath, `${rack.hosts[0].ip} ${rack.hosts[1].hostPublicKey}\n`);
    const refused = await run(sshArgv(wrongKey, rack.hosts[0], ['true']));
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);

    const h1 = rack.hosts[0];
    const net = await h1.exec(['virsh', '-c', 'qemu:///system', 'net-start', 'default']);
    assert.equal(net.code, 0, `net-start default: ${net.stderr}`);

    started = Date.now();
    const guest = await bootHandGuest(h1, image.path, 'rack-smoke', 'smoke-guest-1');
    const marker = await waitForMarker(guest, 180_000);
    t.diagnostic(`guest booted to its marker in ${Date.now() - started} ms under TCG: ${marker}`);
    assert.match(marker, /^DESKSTACK-GUEST-READY hostname=smoke-guest-1 ip=192\.168\.122\.\d+$/);

    // ACPI shutdown: the guest powers itself off on the power button.
    const virsh = (...args: string[]) => h1.exec(['virsh', '-c', 'qemu:///system', ...args]);
    assert.equal((await virsh('shutdown', 'rack-smoke')).code, 0);
    let state = '';
    for (let i = 0; i < 240 && state !== 'shut off'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      state = (await virsh('domstate', 'rack-smoke')).stdout.trim();
    }
    assert.equal(state, 'shut off', 'the guest powers off on an ACPI shutdown request');
    await removeHandGuest(h1, 'rack-smoke');
    const list = await run(sshArgv(rack, h1, ['virsh', '-c', 'qemu:///system', 'list', '--all', '--name']));
    assert.equal(list.stdout.trim(), '');
    pids = rack.hosts.flatMap((h) => netnsPids(h.name));
    assert.ok(pids.length >= 8, 'sshd, virtlogd, libvirtd and init run in each host');
  } finally {
    await rack.stop();
  }
  assertGone(rack.name, pids);
  await rack.stop(); // a second stop is harmless
});

test('rack: `down` clears what a crashed rack left behind', { skip: rackUnavailableReason(), timeout: 180_000 }, async () => {
  const name = `dsrc${process.pid.toString(36).slice(-4)}`;
  const cli = spawn(process.execPath, ['bin/tsx-run.mjs', 'test/rack/cli.ts', 'up', '1', '--name', name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const lines = createInterface({ input: cli.stdout });
    let json = '';
    for await (const line of lines) {
      json += line + '\n';
      if (line === '}') break;
    }
    assert.ok(json.includes(`"name": "${name}"`), `rack did not come up: ${stderr}`);
    const pid = (JSON.parse(json) as { hosts: { pid: number }[] }).hosts[0].pid;
    cli.kill('SIGKILL'); // a crash: no cleanup runs
    await new Promise((r) => cli.once('exit', r));
    assert.ok(alive(pid), 'the host outlives its crashed starter');
    assert.ok(findRacks().includes(name));
    const down = await run([process.execPath, 'bin/tsx-run.mjs', 'test/rack/cli.ts', 'down', name]);
    assert.equal(down.code, 0, down.stderr);
    assertGone(name, [pid]);
  } finally {
    if (cli.exitCode === null) cli.kill('SIGKILL');
    runSync([process.execPath, 'bin/tsx-run.mjs', 'test/rack/cli.ts', 'down', name]);
  }
});
