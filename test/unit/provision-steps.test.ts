// Provisioning steps against a scripted in-memory host (the real thing runs in
// test/integration/hosts-rack.test.ts): idempotency, the apt lock, failures naming the step, timeouts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecOptions, ExecResult, Executor } from '../../main/drivers/executor/executor';
import { REQUIRED_PACKAGES } from '../../main/hosts/preflight-parse';
import { HOST_STATE_DIRS, PROVISION_STEPS, parseNetInfo, type ProvisionStep, type StepContext } from '../../main/hosts/provision-steps';
import { runProvisioning, withAptLock, type StepRecord } from '../../main/hosts/provisioner';

/** A host's state as the steps see it, changed only by the commands they send. */
class ScriptedHost implements Executor {
  readonly target: string;
  packages = new Set<string>();
  libvirtd = false;
  init = 'systemd';
  dirs = new Set<string>();
  /** The SSH login user, and who owns each dir (mkdir through sudo makes root the owner). */
  user = 'root';
  owners = new Map<string, string>();
  net = { defined: false, active: false, autostart: false };
  commands: string[][] = [];
  failApt: string | null = null;

  constructor(name = 'scripted') {
    this.target = `root@${name}:22`;
  }

  async run(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    this.commands.push(argv);
    const a = argv[0] === 'sudo' ? argv.slice(3) : argv;
    const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });
    const key = a.join(' ');
    if (a[0] === 'dpkg-query') return ok(a.slice(3).filter((p) => this.packages.has(p)).map((p) => `${p} installed\n`).join(''));
    if (a[0] === 'env' && a.includes('apt-get')) {
      await new Promise((r) => setTimeout(r, 15)); // long enough for another host's apt to overlap, were it allowed
      if (a.includes('install')) {
        if (this.failApt) return { code: 100, stdout: 'Reading package lists...', stderr: this.failApt };
        for (const p of a.slice(a.indexOf('--no-install-recommends') + 1)) this.packages.add(p);
      }
      return ok();
    }
    if (key === 'virsh -c qemu:///system version') return this.libvirtd ? ok('Running hypervisor: QEMU 7.2.0') : { code: 1, stdout: '', stderr: 'error: failed to connect to the hypervisor' };
    if (key === 'cat /proc/1/comm') return ok(`${this.init}\n`);
    if (key === 'systemctl enable --now libvirtd.service' && this.init === 'systemd') return (this.libvirtd = true), ok();
    if (key === 'virtlogd -d') return ok();
    if (key === 'libvirtd -d') return (this.libvirtd = true), ok();
    if (a[0] === 'sh' && a[2]?.startsWith('for d in')) return ok(a.slice(4).filter((d) => !this.dirs.has(d)).map((d) => `${d}\n`).join(''));
    if (a[0] === 'mkdir') return a.slice(4).forEach((d) => (this.dirs.add(d), this.owners.set(d, argv[0] === 'sudo' ? 'root' : this.user))), ok();
    if (key === 'id -un') return ok(`${this.user}\n`);
    if (a[0] === 'sh' && a[2]?.startsWith('for d; do test -O')) return ok(a.slice(4).filter((d) => this.owners.get(d) !== this.user).map((d) => `${d}\n`).join(''));
    if (a[0] === 'chown') return a.slice(3).forEach((d) => this.owners.set(d, a[2].replace(/:$/, ''))), ok();
    if (key === 'virsh -c qemu:///system net-info default') {
      if (!this.net.defined) return { code: 1, stdout: '', stderr: "error: Network not found: no network with matching name 'default'" };
      return ok(`Name:           default\nActive:         ${this.net.active ? 'yes' : 'no'}\nAutostart:      ${this.net.autostart ? 'yes' : 'no'}\n`);
    }
    if (key === 'virsh -c qemu:///system net-define /dev/stdin') {
      assert.match(String(opts.stdin), /<name>default<\/name>/);
      return (this.net.defined = true), ok();
    }
    if (key === 'virsh -c qemu:///system net-start default') return (this.net.active = true), ok();
    if (key === 'virsh -c qemu:///system net-autostart default') return (this.net.autostart = true), ok();
    return { code: 127, stdout: '', stderr: `${a[0]}: command not found` };
  }

  async runChecked(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    const r = await this.run(argv, opts);
    if (r.code !== 0) throw new Error(`${this.target}: \`${argv.join(' ')}\` failed with exit code ${r.code}: ${r.stderr} — ${opts?.hint ?? 'retry'}`);
    return r;
  }

  putFile = async () => undefined;
  writeFile = async () => undefined;
  readFile = async () => Buffer.alloc(0);
  openTunnel = async () => {
    throw new Error('no tunnels here');
  };
  openStream = async () => {
    throw new Error('no streams here');
  };
  close = async () => undefined;
}

/** Commands that change a host, as opposed to the ones that only look. */
const MUTATING = /apt-get|systemctl|libvirtd -d|mkdir|chown|net-define|net-start|net-autostart/;

function provision(host: ScriptedHost, steps: ProvisionStep[] = PROVISION_STEPS, opts: { sudo?: boolean } = {}) {
  const logs: string[] = [];
  let records: StepRecord[] = [];
  const done = runProvisioning(
    steps,
    {
      exec: host,
      root: (argv) => (opts.sudo ? ['sudo', '-n', '--', ...argv] : argv),
      withAptLock,
      registerCapacity: async () => ({ changed: false, summary: '2 vCPU' }),
    } satisfies Omit<StepContext, 'signal' | 'log'>,
    { signal: new AbortController().signal, progress: () => undefined, log: (l) => logs.push(l), onSteps: (r) => (records = r.map((x) => ({ ...x }))) },
  );
  return { done, logs, records: () => records };
}

describe('provisioning steps', () => {
  it('provisions a bare host, then a re-run changes nothing', async () => {
    const host = new ScriptedHost();
    const first = provision(host);
    const recs = await first.done;
    assert.deepEqual(recs.map((r) => [r.id, r.status, r.changed]), [
      ['packages', 'done', true],
      ['libvirtd', 'done', true],
      ['dirs', 'done', true],
      ['network', 'done', true],
      ['capacity', 'done', false],
    ]);
    assert.deepEqual([...host.packages].sort(), [...REQUIRED_PACKAGES].sort());
    assert.ok(host.libvirtd);
    assert.deepEqual([...host.dirs].sort(), [...HOST_STATE_DIRS].sort());
    assert.deepEqual(host.net, { defined: true, active: true, autostart: true });
    const apt = host.commands.find((c) => c.includes('install'))!;
    assert.deepEqual(apt.slice(0, 2), ['env', 'DEBIAN_FRONTEND=noninteractive']);

    host.commands = [];
    const again = await provision(host).done;
    assert.ok(again.every((r) => r.status === 'done' && r.changed === false), JSON.stringify(again.map((r) => r.summary)));
    assert.deepEqual(host.commands.filter((c) => MUTATING.test(c.join(' '))), [], 'a re-run only looks');
  });

  it('installs only what is missing, and starts libvirtd without systemd when PID 1 is not systemd', async () => {
    const host = new ScriptedHost();
    REQUIRED_PACKAGES.filter((p) => p !== 'genisoimage').forEach((p) => host.packages.add(p));
    host.init = 'sh';
    const { done, logs } = provision(host);
    await done;
    const install = host.commands.find((c) => c.includes('install'))!;
    assert.deepEqual(install.slice(-1), ['genisoimage']);
    assert.ok(!host.commands.some((c) => c[0] === 'systemctl'));
    assert.ok(logs.some((l) => l.includes('not systemd')));
  });

  it('gives a non-root login user the dirs the driver writes into over SFTP, once', async () => {
    const host = new ScriptedHost();
    host.user = 'deploy';
    const recs = await provision(host, PROVISION_STEPS, { sudo: true }).done;
    const dirs = recs.find((r) => r.id === 'dirs')!;
    assert.equal(dirs.changed, true);
    assert.match(dirs.summary ?? '', /to deploy/);
    assert.deepEqual(host.commands.find((c) => c.includes('chown')), ['sudo', '-n', '--', 'chown', '--', 'deploy:', ...HOST_STATE_DIRS.slice(1)]);
    for (const d of HOST_STATE_DIRS.slice(1)) assert.equal(host.owners.get(d), 'deploy', d);
    assert.equal(host.owners.get('/var/lib/deskstack'), 'root', 'the parent stays root-owned');

    host.commands = [];
    const again = await provision(host, PROVISION_STEPS, { sudo: true }).done;
    assert.ok(again.every((r) => r.changed === false), JSON.stringify(again.map((r) => r.summary)));
    assert.deepEqual(host.commands.filter((c) => MUTATING.test(c.join(' '))), [], 'a re-run only looks');

    host.owners.set('/var/lib/deskstack/images', 'root'); // e.g. recreated by hand
    const fixed = await provision(host, PROVISION_STEPS, { sudo: true }).done;
    assert.equal(fixed.find((r) => r.id === 'dirs')!.changed, true);
    assert.equal(host.owners.get('/var/lib/deskstack/images'), 'deploy');
  });

  it('goes through sudo -n for a non-root user', async () => {
    const host = new ScriptedHost();
    await provision(host, PROVISION_STEPS, { sudo: true }).done;
    for (const c of host.commands.filter((c) => MUTATING.test(c.join(' ')))) assert.deepEqual(c.slice(0, 3), ['sudo', '-n', '--']);
  });

  it('never runs apt on two hosts at once', async () => {
    const hosts = [new ScriptedHost('a'), new ScriptedHost('b'), new ScriptedHost('c')];
    let overlap = 0;
    let active = 0;
    for (const h of hosts) {
      const orig = h.run.bind(h);
      h.run = async (argv, opts) => {
        const apt = argv.includes('apt-get');
        if (apt && ++active > 1) overlap++;
        try {
          return await orig(argv, opts);
        } finally {
          if (apt) active--;
        }
      };
    }
    await Promise.all(hosts.map((h) => provision(h).done));
    assert.equal(overlap, 0);
    for (const h of hosts) assert.equal(h.packages.size, REQUIRED_PACKAGES.length);
  });

  it('a failure names the step and its output; a re-run resumes and completes', async () => {
    const host = new ScriptedHost();
    host.libvirtd = true;
    host.failApt = 'E: Unable to locate package qemu-system-x86';
    const run = provision(host);
    await assert.rejects(run.done, (err: Error) => {
      assert.match(err.message, /^Step "Install virtualization packages" failed on root@scripted:22: .*Unable to locate package.*run provisioning again/);
      return true;
    });
    const recs = run.records();
    assert.deepEqual(recs.map((r) => r.status), ['failed', 'pending', 'pending', 'pending', 'pending']);
    assert.match(recs[0].error!, /Unable to locate package/);
    host.failApt = null;
    const again = await provision(host).done;
    assert.ok(again.every((r) => r.status === 'done'));
    assert.equal(again[1].changed, false, 'libvirtd was already running');
  });

  it('a step that overruns its timeout fails with the step name', async () => {
    const hang: ProvisionStep = { id: 'hang', title: 'Hang forever', timeoutMs: 50, run: () => new Promise(() => undefined) };
    await assert.rejects(provision(new ScriptedHost(), [hang]).done, { message: /^Step "Hang forever" failed on root@scripted:22: timed out after 50 ms/ });
  });

  it('reads virsh net-info', () => {
    assert.deepEqual(parseNetInfo('Name: default\nActive:         yes\nPersistent:     yes\nAutostart:      no\n'), { active: true, autostart: false });
  });
});
