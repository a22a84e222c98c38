// SshExecutor against a real rack host: pinned host key, quoting, files over SFTP, tunnels, pty
// streams, first-contact probing, DeskStack's own key, and reconnecting after the connection drops.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DeskError } from '../../main/core/errors';
import { generateDeskKeyPair, probeHostKey } from '../../main/drivers/executor/host-key';
import { SshExecutor } from '../../main/drivers/executor/ssh-executor';
import { rackUnavailableReason } from '../rack/available';
import { startRack, type Rack, type RackHost } from '../rack/rack';

const skip = rackUnavailableReason();

describe('SshExecutor on a rack host', { skip, timeout: 300_000 }, () => {
  let rack: Rack;
  let host: RackHost;
  let ex: SshExecutor;
  const local = mkdtempSync(join(tmpdir(), 'deskstack-ssh-exec-'));
  before(async () => {
    rack = await startRack({ hosts: 1 });
    host = rack.hosts[0];
    ex = new SshExecutor({ host: host.ip, privateKey: readFileSync(host.privateKeyPath), hostKeyFingerprint: host.hostKeyFingerprint, keepaliveInterval: 2000 });
  });
  after(async () => {
    await ex?.close();
    await rack?.stop();
    rmSync(local, { recursive: true, force: true });
  });

  it('probes the host key on first contact, as ssh-keygen shows it', async () => {
    assert.deepEqual(await probeHostKey({ host: host.ip, port: 22 }), { fingerprint: host.hostKeyFingerprint, keyType: 'ssh-ed25519' });
    await assert.rejects(probeHostKey({ host: rack.bridgeIp, port: 1, timeoutMs: 3000 }), (e) => e instanceof DeskError && e.code === 'Unavailable');
  });

  it('runs argv with hostile words verbatim, executing none of them', async () => {
    const marker = `/tmp/deskstack-pwned-ssh-${randomUUID()}`;
    const words = [`x'; touch ${marker}; '`, `$(touch ${marker})`, `\`touch ${marker}\``, `a\nb`, `a'b"c`, '../../etc', 'ünï ✓', '', '-rf'];
    const r = await ex.run(['printf', '%s\\0', ...words]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), words);
    assert.equal(existsSync(marker), false);
    const lines: string[] = [];
    const r2 = await ex.run(['sh', '-c', 'cat; echo warn >&2; exit 4'], { stdin: 'l1\nl2\n', onLine: (l, s) => lines.push(`${s}:${l}`) });
    assert.deepEqual([r2.code, r2.stdout], [4, 'l1\nl2\n']);
    assert.deepEqual(lines.sort(), ['stderr:warn', 'stdout:l1', 'stdout:l2']);
    await assert.rejects(ex.runChecked(['sh', '-c', 'echo no space left >&2; exit 2']), (e) => e instanceof DeskError && /`sh -c 'echo no space left >&2; exit 2'` failed with exit code 2: no space left — /.test(e.message));
  });

  it('timeouts and aborts stop the remote command', async () => {
    const tag = `${Math.floor(Math.random() * 1e6) + 1000}`;
    await assert.rejects(ex.run(['sleep', `${tag}.5`], { timeoutMs: 500 }), /did not finish within 500 ms/);
    const ac = new AbortController();
    const reason = new Error('cancelled');
    setTimeout(() => ac.abort(reason), 200);
    await assert.rejects(ex.run(['sleep', `${tag}.6`], { signal: ac.signal }), (e) => e === reason);
    await new Promise((r) => setTimeout(r, 500));
    const left = await host.exec(['pgrep', '-f', `sleep ${tag}`]);
    assert.equal(left.stdout.trim(), '', 'no remote sleep is left running');
  });

  it('an abort with drainOnStop kills the command and still delivers every line it printed', async () => {
    const tag = `${Math.floor(Math.random() * 1e6) + 1000}`;
    const ac = new AbortController();
    const reason = new Error('cancelled');
    const lines: string[] = [];
    // the setsid child outlives the kill of the command's process group and still writes to its output
    const script = `setsid sh -c 'sleep 0.5; echo two; echo three' & echo one; exec sleep ${tag}.7`;
    const run = ex.run(['sh', '-c', script], { signal: ac.signal, drainOnStop: true, onLine: (l) => (l === 'one' ? ac.abort(reason) : lines.push(l)) });
    await assert.rejects(run, (e) => e === reason);
    assert.deepEqual(lines, ['two', 'three'], 'output written after the abort still arrives');
    assert.equal((await host.exec(['pgrep', '-f', `sleep ${tag}`])).stdout.trim(), '', 'the command was killed');
  });

  it('copies and writes files atomically over SFTP, with progress', async () => {
    const src = join(local, 'blob');
    writeFileSync(src, Buffer.alloc(2_000_000, 3));
    let last = 0;
    await ex.putFile(src, '/var/lib/deskstack/blob', { onProgress: (b) => (last = b), mode: 0o600 });
    assert.equal(last, 2_000_000);
    assert.equal((await ex.run(['stat', '-c', '%s %a', '/var/lib/deskstack/blob'])).stdout.trim(), '2000000 600');
    await ex.writeFile('/var/lib/deskstack/blob', 'small');
    assert.equal((await ex.readFile('/var/lib/deskstack/blob')).toString(), 'small');
    assert.equal((await ex.run(['sh', '-c', 'ls -a /var/lib/deskstack | grep -c tmp- || true'])).stdout.trim(), '0');
    await assert.rejects(ex.readFile('/var/lib/deskstack/nope'), (e) => e instanceof DeskError && e.code === 'NotFound');
    await assert.rejects(ex.putFile(join(local, 'nope'), '/var/lib/deskstack/x'), (e) => e instanceof DeskError && e.code === 'NotFound');
  });

  it('tunnels to a port on the host and runs a command on a pty', async () => {
    const sock = await ex.openTunnel(host.ip, 22);
    const banner = await new Promise<string>((r) => sock.once('data', (d: Buffer) => r(d.toString())));
    sock.destroy();
    assert.match(banner, /^SSH-2\.0-OpenSSH/);
    const tty = await ex.openStream(['tty'], { pty: true });
    let out = '';
    tty.stream.on('data', (d: Buffer) => (out += d.toString()));
    assert.equal(await tty.exit, 0);
    assert.match(out, /\/dev\/pts\/\d+/);
  });

  it('shares one connection among concurrent callers and reconnects after it drops', async () => {
    const log = join(host.dir, 'logs', 'sshd.log');
    const accepted = (): number => (readFileSync(log, 'utf8').match(/Accepted publickey/g) ?? []).length;
    const fresh = new SshExecutor({ host: host.ip, privateKey: readFileSync(host.privateKeyPath), hostKeyFingerprint: host.hostKeyFingerprint });
    try {
      const before = accepted();
      const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => fresh.run(['echo', String(i)])));
      assert.deepEqual(rs.map((r) => r.stdout.trim()), Array.from({ length: 12 }, (_, i) => String(i)));
      assert.equal(accepted() - before, 1, 'twelve concurrent commands, one connection');
      // Kill the sshd process serving our session (our own connection, by its pid).
      const sessionPid = (await fresh.run(['sh', '-c', 'echo $PPID'])).stdout.trim();
      assert.match((await host.exec(['ps', '-o', 'args=', '-p', sessionPid])).stdout, /@notty/, 'that is our session, not the listening sshd');
      await host.exec(['kill', '-9', sessionPid]);
      for (let i = 0; i < 50 && fresh.connected; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(fresh.connected, false, 'the drop is noticed');
      assert.equal((await fresh.run(['hostname'])).stdout.trim(), host.name);
      assert.equal(accepted() - before, 2, 'the next call reconnected once');
    } finally {
      await fresh.close();
    }
  });

  it("DeskStack's own ed25519 key pair logs in once installed", async () => {
    const pair = generateDeskKeyPair('deskstack@test');
    assert.match(pair.publicKey, /^ssh-ed25519 AAAA\S+ deskstack@test$/);
    assert.match(pair.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    const keys = (await ex.readFile('/root/.ssh/authorized_keys')).toString();
    await ex.writeFile('/root/.ssh/authorized_keys', `${keys.trimEnd()}\n${pair.publicKey}\n`, { mode: 0o600 });
    const own = new SshExecutor({ host: host.ip, privateKey: pair.privateKey, hostKeyFingerprint: host.hostKeyFingerprint });
    try {
      assert.equal((await own.run(['hostname'])).stdout.trim(), host.name);
    } finally {
      await own.close();
    }
    const stranger = new SshExecutor({ host: host.ip, privateKey: generateDeskKeyPair().privateKey, hostKeyFingerprint: host.hostKeyFingerprint });
    await assert.rejects(stranger.run(['true']), (e) => e instanceof DeskError && e.code === 'Forbidden' && /authentication failed/.test(e.message));
  });
});
