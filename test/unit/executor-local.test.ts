// LocalExecutor: argv without a shell, timeouts and aborts that kill the whole process group,
// live lines, atomic file writes, tunnels and streams.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DeskError } from '../../main/core/errors';
import { LocalExecutor } from '../../main/drivers/executor/local-executor';

const dir = mkdtempSync(join(tmpdir(), 'deskstack-exec-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ex = new LocalExecutor();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  for (let end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('LocalExecutor', () => {
  it('runs argv as is (no shell), with stdin, exit codes and live lines', async () => {
    const marker = join(dir, `pwned-${randomUUID()}`);
    const word = `x'; touch ${marker}; '$(touch ${marker})`;
    const r = await ex.run(['printf', '%s\n', word]);
    assert.deepEqual(r, { code: 0, stdout: `${word}\n`, stderr: '' });
    assert.equal(existsSync(marker), false);
    const lines: string[] = [];
    const r2 = await ex.run(['sh', '-c', 'cat; echo oops >&2; exit 7'], { stdin: 'a\nb\nc', onLine: (l, s) => lines.push(`${s}:${l}`) });
    assert.equal(r2.code, 7);
    assert.equal(r2.stdout, 'a\nb\nc');
    assert.deepEqual(lines.sort(), ['stderr:oops', 'stdout:a', 'stdout:b', 'stdout:c']);
  });

  it('runChecked names the command, exit code and stderr tail', async () => {
    await assert.rejects(ex.runChecked(['sh', '-c', 'echo disk full >&2; exit 3'], { hint: 'free some space' }), (e) => {
      assert.ok(e instanceof DeskError);
      assert.match(e.message, /^this computer: `sh -c 'echo disk full >&2; exit 3'` failed with exit code 3: disk full — free some space$/);
      return true;
    });
    await assert.rejects(ex.run(['/nonexistent/program']), (e) => e instanceof DeskError && /not installed/.test(e.message));
  });

  it('a timeout or an abort kills the whole process group and rejects', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const started = ex.run(['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 300 });
    await assert.rejects(started, (e) => e instanceof DeskError && /did not finish within 300 ms/.test(e.message));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await eventually(() => !alive(pid)), 'the background grandchild was killed too');

    const ac = new AbortController();
    const reason = new Error('user cancelled');
    const pending = ex.run(['sleep', '30'], { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 50);
    await assert.rejects(pending, (e) => e === reason);
    await assert.rejects(ex.run(['true'], { signal: ac.signal }), (e) => e === reason);
  });

  it('writes and copies files atomically, with progress, and maps a missing file to NotFound', async () => {
    const target = join(dir, 'out.txt');
    await ex.writeFile(target, 'one', { mode: 0o600 });
    assert.equal(readFileSync(target, 'utf8'), 'one');
    const src = join(dir, 'src.bin');
    writeFileSync(src, Buffer.alloc(300_000, 7));
    let progress = 0;
    await ex.putFile(src, target, { onProgress: (b) => (progress = b) });
    assert.equal(progress, 300_000);
    assert.deepEqual(await ex.readFile(target), Buffer.alloc(300_000, 7));
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temp file is left');
    await assert.rejects(ex.readFile(join(dir, 'missing')), (e) => e instanceof DeskError && e.code === 'NotFound');
    await assert.rejects(ex.putFile(join(dir, 'missing'), target), (e) => e instanceof DeskError && e.code === 'NotFound');
    assert.equal(readFileSync(target).length, 300_000, 'a failed copy leaves the old file alone');
  });

  it('opens a tunnel and an interactive stream, with a pty when asked', async () => {
    const server = createServer((s) => s.end('hello from the host'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const sock = await ex.openTunnel('127.0.0.1', port);
      let got = '';
      for await (const chunk of sock) got += chunk;
      assert.equal(got, 'hello from the host');
    } finally {
      server.close();
    }
    const cat = await ex.openStream(['cat']);
    cat.stream.write('ping\n');
    const echoed = await new Promise<string>((r) => cat.stream.once('data', (d: Buffer) => r(d.toString())));
    assert.equal(echoed, 'ping\n');
    cat.stream.end();
    assert.equal(await cat.exit, 0);

    const tty = await ex.openStream(['tty'], { pty: true });
    let out = '';
    tty.stream.on('data', (d: Buffer) => (out += d.toString()));
    await tty.exit;
    assert.match(out, /\/dev\/pts\/\d+/);
  });

  it("keeps the parent's secrets out of a child's environment", async () => {
    const secrets = { DESKSTACK_ADMIN_PASSWORD: 'parent-admin-secret', OS_PASSWORD: 'parent-os-secret', DESKSTACK_KEY_PASSPHRASE: 'parent-key-secret' };
    const saved = Object.fromEntries(Object.keys(secrets).map((k) => [k, process.env[k]]));
    Object.assign(process.env, secrets);
    try {
      const r = await ex.run(['env']);
      assert.equal(r.code, 0);
      for (const value of Object.values(secrets)) assert.ok(!r.stdout.includes(value), `a child saw ${value}`);
      const vars = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      assert.ok(vars.PATH?.includes('/usr/bin'));
      assert.equal(vars.LANG, 'C.UTF-8');
      assert.equal(vars.HOME, process.env.HOME);
      assert.equal(vars.TERM, undefined, 'TERM is for pty streams only');

      const s = await ex.openStream(['env']);
      let out = '';
      s.stream.on('data', (d: Buffer) => (out += d.toString()));
      await s.exit;
      for (const value of Object.values(secrets)) assert.ok(!out.includes(value), `a stream child saw ${value}`);
      const tty = await ex.openStream(['env'], { pty: true });
      let ttyOut = '';
      tty.stream.on('data', (d: Buffer) => (ttyOut += d.toString()));
      await tty.exit;
      assert.match(ttyOut, /^TERM=xterm-256color/m);
      for (const value of Object.values(secrets)) assert.ok(!ttyOut.includes(value), `a pty child saw ${value}`);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
