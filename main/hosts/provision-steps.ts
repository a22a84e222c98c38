// The provisioning steps. Each one looks before it acts, so running it on a host where it is
// already done changes nothing and says so ("unchanged"); that is what makes "resume" safe.
import { setTimeout as delay } from 'node:timers/promises';
import type { Executor } from '../drivers/executor/executor';
import { parseDpkgStatus, REQUIRED_PACKAGES } from './preflight-parse';

/** Host directories DeskStack keeps its state in: image cache, instance disks, cloud-init seeds. */
export const HOST_STATE_DIRS = ['/var/lib/deskstack', '/var/lib/deskstack/images', '/var/lib/deskstack/instances', '/var/lib/deskstack/seeds'] as const;

const VIRSH = ['virsh', '-c', 'qemu:///system'];

/** libvirt's stock NAT network, as Debian ships it; instance NICs attach here until networking lands. */
const DEFAULT_NETWORK_XML = `<network>
  <name>default</name>
  <forward mode='nat'/>
  <bridge name='virbr0' stp='on' delay='0'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>
`;

export interface StepContext {
  exec: Executor;
  signal: AbortSignal;
  /** Prefixes `sudo -n` when the SSH user is not root. */
  root(argv: string[]): string[];
  log(line: string): void;
  /** Serialises apt across every host of this control plane (rack hosts share one dpkg lock). */
  withAptLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Reads the host's facts through its driver and stores them as its capacity; returns a summary and whether the row changed. */
  registerCapacity(): Promise<StepOutcome>;
}

export interface StepOutcome {
  changed: boolean;
  summary: string;
}

export interface ProvisionStep {
  id: string;
  title: string;
  timeoutMs: number;
  run(ctx: StepContext): Promise<StepOutcome>;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch((err: unknown) => {
    throw signal.aborted ? signal.reason : err; // the step's own reason (timeout, cancel), not a bare AbortError
  });

const lineLogger = (ctx: StepContext) => (line: string) => ctx.log(`  ${line}`);

export const installPackages: ProvisionStep = {
  id: 'packages',
  title: 'Install virtualization packages',
  timeoutMs: 20 * 60_000,
  async run(ctx) {
    const query = await ctx.exec.run(['dpkg-query', '-W', '-f=${Package} ${db:Status-Status}\\n', ...REQUIRED_PACKAGES], { signal: ctx.signal, timeoutMs: 60_000 });
    const installed = parseDpkgStatus(query.stdout);
    const missing = REQUIRED_PACKAGES.filter((p) => !installed.has(p));
    if (missing.length === 0) return { changed: false, summary: `already installed: ${REQUIRED_PACKAGES.join(', ')}` };
    ctx.log(`missing: ${missing.join(', ')}; waiting for the apt lock (one host at a time)`);
    await ctx.withAptLock(async () => {
      const apt = (args: string[]) =>
        ctx.exec.runChecked(ctx.root(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-o', 'DPkg::Lock::Timeout=300', ...args]), {
          signal: ctx.signal,
          onLine: lineLogger(ctx),
          hint: 'check that the host reaches its package mirror (apt-get update) and that no other apt runs there',
        });
      await apt(['update']);
      await apt(['install', '-y', '--no-install-recommends', ...missing]);
    });
    return { changed: true, summary: `installed ${missing.join(', ')}` };
  },
};

async function libvirtAnswers(ctx: StepContext): Promise<boolean> {
  const r = await ctx.exec.run(ctx.root([...VIRSH, 'version']), { signal: ctx.signal, timeoutMs: 20_000 });
  return r.code === 0;
}

export const startLibvirt: ProvisionStep = {
  id: 'libvirtd',
  title: 'Make sure libvirtd runs',
  timeoutMs: 3 * 60_000,
  async run(ctx) {
    if (await libvirtAnswers(ctx)) return { changed: false, summary: 'libvirtd is running' };
    // Detect the init system rather than assume it: rack hosts and containers run libvirtd without systemd.
    const init = (await ctx.exec.run(['cat', '/proc/1/comm'], { signal: ctx.signal, timeoutMs: 10_000 })).stdout.trim();
    if (init === 'systemd') {
      ctx.log('starting libvirtd with systemctl');
      await ctx.exec.runChecked(ctx.root(['systemctl', 'enable', '--now', 'libvirtd.service']), { signal: ctx.signal, onLine: lineLogger(ctx), hint: 'see `journalctl -u libvirtd` on the host' });
    } else {
      ctx.log(`PID 1 is ${init || 'unknown'}, not systemd: starting virtlogd and libvirtd as daemons`);
      await ctx.exec.run(ctx.root(['virtlogd', '-d']), { signal: ctx.signal, timeoutMs: 20_000 });
      await ctx.exec.runChecked(ctx.root(['libvirtd', '-d']), { signal: ctx.signal, timeoutMs: 20_000, hint: 'see /var/log/libvirt on the host' });
    }
    for (let i = 0; i < 60; i++) {
      if (await libvirtAnswers(ctx)) return { changed: true, summary: 'libvirtd started' };
      await sleep(500, ctx.signal);
    }
    throw new Error('libvirtd was started but does not answer `virsh version` after 30 s; see its log on the host');
  },
};

/** The state dirs the driver writes into over SFTP, which runs as the login user even when commands go through sudo. */
export const HOST_WRITABLE_DIRS = HOST_STATE_DIRS.slice(1);

export const createStateDirs: ProvisionStep = {
  id: 'dirs',
  title: 'Create /var/lib/deskstack directories',
  timeoutMs: 60_000,
  async run(ctx) {
    const opts = { signal: ctx.signal, timeoutMs: 20_000 };
    const sudo = ctx.root([]).length > 0;
    const probe = await ctx.exec.run(['sh', '-c', 'for d in "$@"; do test -d "$d" || echo "$d"; done', 'sh', ...HOST_STATE_DIRS], opts);
    const missing = probe.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    const done: string[] = [];
    if (probe.code !== 0 || missing.length > 0) {
      await ctx.exec.runChecked(ctx.root(['mkdir', '-p', '-m', '0755', ...HOST_STATE_DIRS]), opts);
      done.push(`created ${missing.join(', ')}`);
    }
    if (sudo) {
      // not root: the login user must own the dirs the driver copies images and seeds into
      const user = (await ctx.exec.runChecked(['id', '-un'], opts)).stdout.trim();
      const owned = await ctx.exec.run(['sh', '-c', 'for d; do test -O "$d" || echo "$d"; done', 'sh', ...HOST_WRITABLE_DIRS], opts);
      const foreign = owned.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
      if (owned.code !== 0 || foreign.length > 0) {
        await ctx.exec.runChecked(ctx.root(['chown', '--', `${user}:`, ...HOST_WRITABLE_DIRS]), { ...opts, hint: `make ${HOST_WRITABLE_DIRS.join(', ')} owned by ${user} by hand` });
        done.push(`gave ${HOST_WRITABLE_DIRS.join(', ')} to ${user}`);
      }
    }
    if (done.length === 0) return { changed: false, summary: `present: ${HOST_WRITABLE_DIRS.join(', ')}` };
    return { changed: true, summary: done.join('; ') };
  },
};

/** "Active: yes" / "Autostart: no" lines of `virsh net-info`. */
export function parseNetInfo(text: string): { active: boolean; autostart: boolean } {
  return { active: /^Active:\s*yes/m.test(text), autostart: /^Autostart:\s*yes/m.test(text) };
}

export const defaultNetwork: ProvisionStep = {
  id: 'network',
  title: "Start libvirt's default network",
  timeoutMs: 2 * 60_000,
  async run(ctx) {
    const opts = { signal: ctx.signal, timeoutMs: 30_000 };
    const done: string[] = [];
    let info = await ctx.exec.run(ctx.root([...VIRSH, 'net-info', 'default']), opts);
    if (info.code !== 0) {
      ctx.log('network "default" is not defined; defining the stock NAT network 192.168.122.0/24');
      await ctx.exec.runChecked(ctx.root([...VIRSH, 'net-define', '/dev/stdin']), { ...opts, stdin: DEFAULT_NETWORK_XML });
      done.push('defined');
      info = await ctx.exec.runChecked(ctx.root([...VIRSH, 'net-info', 'default']), opts);
    }
    const state = parseNetInfo(info.stdout);
    if (!state.active) {
      await ctx.exec.runChecked(ctx.root([...VIRSH, 'net-start', 'default']), { ...opts, hint: 'another network may already use 192.168.122.0/24 or virbr0 on this host' });
      done.push('started');
    }
    if (!state.autostart) {
      await ctx.exec.runChecked(ctx.root([...VIRSH, 'net-autostart', 'default']), opts);
      done.push('set to autostart');
    }
    return done.length ? { changed: true, summary: `network default ${done.join(', ')}` } : { changed: false, summary: 'network default is active and autostarts' };
  },
};

export const registerCapacity: ProvisionStep = {
  id: 'capacity',
  title: 'Register capacity',
  timeoutMs: 60_000,
  run: (ctx) => ctx.registerCapacity(),
};

export const PROVISION_STEPS: ProvisionStep[] = [installPackages, startLibvirt, createStateDirs, defaultNetwork, registerCapacity];
