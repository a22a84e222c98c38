// The test rack: N isolated "hosts" on this Linux machine, each with its own network, PID, mount and
// UTS namespaces, its own sshd on its own IP, and its own libvirtd. Needs root. See issue 3 §7.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprintOf, prepareHostDir } from './host-dir';
import { MAX_HOSTS, bridgeIp, hostIp, hostNames, rackName, rackNames } from './naming';
import { run, runOk, type RunResult } from './run';
import { claimSubnet } from './subnet';
import { findRacks, processRunning, teardownRack } from './teardown';

const INIT_SCRIPT = resolve(fileURLToPath(new URL('.', import.meta.url)), 'host-init.sh');
const HOST_ENV: NodeJS.ProcessEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' };

export interface RackHost {
  name: string;
  ip: string;
  port: 22;
  user: 'root';
  privateKeyPath: string;
  /** root's password on every host of this rack (random per rack; password auth works over ssh). */
  password: string;
  /** SHA256:... of the host's ed25519 host key (what `ssh-keygen -l` prints). */
  hostKeyFingerprint: string;
  /** The host's public key line, e.g. for a known_hosts file. */
  hostPublicKey: string;
  /** PID (in the machine's PID namespace) of the host's PID 1. */
  pid: number;
  /** Per-host state dir; `<dir>/var-lib-deskstack` is the host's /var/lib/deskstack. */
  dir: string;
  /** Runs argv inside the host's namespaces as root (no shell). */
  exec(argv: readonly string[]): Promise<RunResult>;
}

export interface Rack {
  name: string;
  bridge: string;
  bridgeIp: string;
  dir: string;
  hosts: RackHost[];
  privateKeyPath: string;
  /** known_hosts file pinning every host's key by IP. */
  knownHostsPath: string;
  /** Tears everything down; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRackOptions {
  hosts: number;
  name?: string;
  /** How long to wait for each host's sshd and libvirtd (default 90 s). */
  timeoutMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const sock = connect({ host, port, timeout: 500 });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolveOpen(ok);
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.once('timeout', () => done(false));
  });
}

function initLog(dir: string): string {
  const path = join(dir, 'logs', 'init.log');
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').slice(-15).join('\n') : '(no init log)';
}

async function setUpBridge(bridge: string, ip: string): Promise<void> {
  await runOk(['ip', 'link', 'add', bridge, 'type', 'bridge']);
  await runOk(['ip', 'addr', 'add', `${ip}/24`, 'dev', bridge]);
  await runOk(['ip', 'link', 'set', bridge, 'up']);
}

async function setUpNetns(ns: string, veth: string, bridge: string, ip: string): Promise<void> {
  await runOk(['ip', 'netns', 'add', ns]);
  await runOk(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  await runOk(['ip', 'link', 'set', veth, 'master', bridge, 'up']);
  await runOk(['ip', '-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
  await runOk(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  await runOk(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
}

/** Starts the host's PID 1 and returns its PID in the machine's PID namespace. */
async function spawnInit(ns: string, hostname: string, dir: string): Promise<number> {
  const child = spawn(
    'ip',
    ['netns', 'exec', ns, 'unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '--mount', '--uts', '--', '/bin/sh', INIT_SCRIPT],
    { detached: true, stdio: 'ignore', env: { ...HOST_ENV, RACK_HOSTNAME: hostname, RACK_HOST_DIR: dir } },
  );
  child.unref();
  const unsharePid = child.pid;
  if (unsharePid === undefined) throw new Error(`host ${hostname}: could not start unshare`);
  for (let i = 0; i < 100; i++) {
    const childrenFile = `/proc/${unsharePid}/task/${unsharePid}/children`;
    const pid = existsSync(childrenFile) ? Number(readFileSync(childrenFile, 'utf8').trim().split(' ')[0]) : 0;
    if (pid > 0) return pid;
    if (!processRunning(unsharePid)) break;
    await sleep(20);
  }
  throw new Error(`host ${hostname}: its init process did not start:\n${initLog(dir)}`);
}

function hostExec(pid: number): RackHost['exec'] {
  return (argv) => run(['nsenter', `--target=${pid}`, '--mount', '--uts', '--net', '--pid', '--', ...argv], { env: HOST_ENV });
}

async function waitReady(host: RackHost, deadline: number): Promise<void> {
  let sshUp = false;
  let last = '';
  while (Date.now() < deadline) {
    if (!processRunning(host.pid)) throw new Error(`host ${host.name}: init exited during start-up:\n${initLog(host.dir)}`);
    sshUp ||= await tcpOpen(host.ip, 22);
    if (sshUp) {
      const r = await host.exec(['virsh', '-c', 'qemu:///system', 'version']);
      if (r.code === 0) return;
      last = r.stderr.trim();
    }
    await sleep(100);
  }
  throw new Error(`host ${host.name}: not ready in time (sshd ${sshUp ? 'up' : 'down'}; virsh: ${last || 'not tried'})\n${initLog(host.dir)}`);
}

interface RackSecrets {
  keyPath: string;
  password: string;
  passwordHash: string;
}

async function startHost(rack: string, index: number, subnet: number, bridge: string, secrets: RackSecrets): Promise<RackHost> {
  const names = hostNames(rack, index);
  const ip = hostIp(subnet, index);
  const rackPublicKey = readFileSync(`${secrets.keyPath}.pub`, 'utf8');
  await prepareHostDir({ dir: names.dir, ip, rackPublicKey, rootPasswordHash: secrets.passwordHash });
  await setUpNetns(names.name, names.veth, bridge, ip);
  const pid = await spawnInit(names.name, names.name, names.dir);
  const hostPublicKey = readFileSync(join(names.dir, 'etc-ssh', 'ssh_host_ed25519_key.pub'), 'utf8').trim();
  return {
    name: names.name,
    ip,
    port: 22,
    user: 'root',
    privateKeyPath: secrets.keyPath,
    password: secrets.password,
    hostKeyFingerprint: fingerprintOf(hostPublicKey),
    hostPublicKey,
    pid,
    dir: names.dir,
    exec: hostExec(pid),
  };
}

/** Teardown of every rack this process started and has not stopped yet. */
const liveRacks = new Set<() => void>();
let handlersInstalled = false;

/** Tears live racks down when the process exits or is interrupted, so a failed or killed test run
 * leaves nothing behind (a SIGKILL still can: `cli.ts down` clears that). */
function installCleanupHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const stopAll = (): void => [...liveRacks].forEach((stopOne) => stopOne());
  process.on('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      stopAll();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal); // default action, as if we were never here
    };
    process.on(signal, onSignal);
  }
}

/** Stands up `hosts` rack hosts and waits until each one's sshd and libvirtd answer. */
export async function startRack(opts: StartRackOptions): Promise<Rack> {
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1 || opts.hosts > MAX_HOSTS) {
    throw new Error(`hosts must be an integer from 1 to ${MAX_HOSTS}`);
  }
  if (process.getuid?.() !== 0) throw new Error('the test rack needs root (network namespaces, bind mounts)');
  const name = rackName(opts.name);
  if (findRacks().includes(name)) throw new Error(`rack ${name} already exists — run \`node bin/tsx-run.mjs test/rack/cli.ts down ${name}\``);
  const { bridge, dir } = rackNames(name);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    liveRacks.delete(stopSync);
    teardownRack(name);
  };
  liveRacks.add(stopSync);
  installCleanupHandlers();
  const stop = async (): Promise<void> => stopSync();
  try {
    const subnet = await claimSubnet(name);
    writeFileSync(join(dir, 'subnet'), String(subnet));
    const keyPath = join(dir, 'id_ed25519');
    await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `deskstack-rack-${name}`, '-f', keyPath]);
    const password = randomBytes(12).toString('base64url');
    const passwordHash = (await runOk(['openssl', 'passwd', '-6', '-stdin'], { input: password })).stdout.trim();
    const secrets: RackSecrets = { keyPath, password, passwordHash };
    await setUpBridge(bridge, bridgeIp(subnet));
    const indexes = Array.from({ length: opts.hosts }, (_, i) => i + 1);
    const hosts = await Promise.all(indexes.map((i) => startHost(name, i, subnet, bridge, secrets)));
    const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
    await Promise.all(hosts.map((h) => waitReady(h, deadline)));
    const knownHostsPath = join(dir, 'known_hosts');
    writeFileSync(knownHostsPath, hosts.map((h) => `${h.ip} ${h.hostPublicKey}\n`).join(''));
    return { name, bridge, bridgeIp: bridgeIp(subnet), dir, hosts, privateKeyPath: keyPath, knownHostsPath, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Quotes one word for the remote POSIX shell that sshd runs the command line through. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_.,:/=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv for `ssh` to a rack host with the rack key and its pinned host key (no user config);
 * each remote word is quoted, so the remote shell sees exactly `remote`. */
export function sshArgv(rack: Rack, host: RackHost, remote: readonly string[]): string[] {
  return [
    'ssh', '-F', 'none', '-i', rack.privateKeyPath, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${rack.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=10',
    '-p', String(host.port), `${host.user}@${host.ip}`, '--', ...remote.map(shellQuote),
  ];
}
