// The real HostDriver: libvirt domains on a host, driven by commands over an Executor (SSH or local).
// Every instance lives in <stateDir>/instances/<id>/: its qcow2 overlay, NoCloud seed, console log.
import type { Duplex } from 'node:stream';
import { DeskError } from '../../core/errors';
import type { Executor } from '../executor/executor';
import type { HostDriver, HostFacts, InstanceInfo, InstanceSpec, OpContext, VirtType } from '../types';
import { buildDomainXml } from './domain-xml';
import { readFacts } from './facts';
import { ImageCache } from './image-cache';
import { ensureNetwork } from './network';
import { HostPaths, assertInstanceId } from './paths';
import { powerOff, powerOn, reboot } from './power';
import { buildMetaData, buildUserData } from './seed';
import { UndoList } from './undo';
import { Virsh, parseDomainList } from './virsh';
import { readReservations, releaseAddresses, reserveAddresses } from './dhcp-reservation';

export interface LibvirtDriverOptions {
  /** Where images, instance disks and seeds live on the host (default /var/lib/deskstack). */
  stateDir?: string;
  /** 'qemu' is software emulation (no usable /dev/kvm). */
  virtType: VirtType;
  /** For messages: the host's name in DeskStack. */
  hostName: string;
  /** How long a soft reboot waits for the guest to shut down before going hard (default 120 s, as Nova). */
  softRebootTimeoutSeconds?: number;
}

const CONSOLE_MAX_BYTES = 1024 * 1024;

/** Undo steps run after a failure or abort, so they get a signal of their own. */
const cleanupOp = (op: OpContext): OpContext => ({ signal: new AbortController().signal, log: op.log });

export class LibvirtDriver implements HostDriver {
  readonly kind = 'libvirt' as const;
  private readonly paths: HostPaths;
  private readonly virsh: Virsh;
  private readonly images: ImageCache;

  constructor(
    private readonly executor: Executor,
    private readonly opts: LibvirtDriverOptions,
  ) {
    this.paths = new HostPaths(opts.stateDir ?? '/var/lib/deskstack');
    this.virsh = new Virsh(executor, opts.hostName);
    this.images = new ImageCache(executor, this.paths, opts.hostName);
  }

  facts(op: OpContext): Promise<HostFacts> {
    return readFacts(this.executor, this.paths.stateDir, this.opts.virtType, op);
  }

  async ping(op: OpContext): Promise<void> {
    const r = await this.virsh.run(['version'], op);
    if (r.code !== 0) throw new DeskError('Unavailable', `host ${this.opts.hostName}: libvirt does not answer (${r.stderr.trim() || `exit ${r.code}`}) — check that libvirtd runs on the host`);
  }

  async uptime(op: OpContext): Promise<string> {
    const r = await this.executor.runChecked(['env', 'LANG=C', 'uptime'], { signal: op.signal, timeoutMs: 30_000 });
    return r.stdout.replace(/\n$/, '');
  }

  async spawn(spec: InstanceSpec, op: OpContext): Promise<void> {
    const id = assertInstanceId(spec.id);
    const run = (argv: string[], hint?: string) => this.executor.runChecked(argv, { signal: op.signal, hint, timeoutMs: 300_000 });
    const undo = new UndoList();
    const started = Date.now();
    try {
      if (await this.virsh.exists(id, op)) throw new DeskError('Conflict', `host ${this.opts.hostName} already has an instance ${id} — destroy it first`, { id });
      for (const network of new Set(spec.nics.map((n) => n.hostNetwork))) await ensureNetwork(this.executor, this.virsh, this.opts.hostName, network, op);
      const base = await this.images.ensure(spec.image, op);
      const dir = this.paths.instanceDir(id);
      await run(['mkdir', '-p', this.paths.instancesDir]);
      await this.makeInstanceDir(id, dir, op);
      undo.add(`instance folder ${dir}`, () => this.executor.run(['rm', '-rf', '--one-file-system', dir]));
      // owned like the instances folder: provisioning gives that to a non-root login user, whose SFTP writes land here
      await run(['chown', `--reference=${this.paths.instancesDir}`, '--', dir]);
      op.log?.(`creating a ${spec.diskGb} GB disk on image ${spec.image.id}`);
      await run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', base, this.paths.disk(id), `${spec.diskGb}G`], 'check free space on the host');
      await this.writeSeed(spec, op);
      await this.executor.writeFile(this.paths.domainXml(id), buildDomainXml(spec, this.opts.virtType, {
        disk: this.paths.disk(id),
        seedIso: this.paths.seedIso(id),
        consoleLog: this.paths.consoleLog(id),
      }));
      const reservations = await reserveAddresses(this.virsh, spec.nics, op, (r) =>
        undo.add(`DHCP reservation ${r.ip} on ${r.network}`, () => releaseAddresses(this.virsh, [r], cleanupOp(op))),
      );
      await this.executor.writeFile(this.reservationsFile(id), JSON.stringify(reservations));
      await this.virsh.checked(['define', this.paths.domainXml(id)], undefined, op);
      undo.add(`domain ${id}`, () => this.virsh.run(['undefine', '--nvram', id], cleanupOp(op)));
      await this.virsh.checked(['autostart', id], id, op);
      op.log?.(`starting instance ${id}`);
      await this.virsh.checked(['start', id], id, op);
      undo.add(`running domain ${id}`, () => this.virsh.run(['destroy', id], cleanupOp(op)));
      op.signal.throwIfAborted();
      undo.commit();
      op.log?.(`instance ${id} started in ${Date.now() - started} ms`);
    } catch (err) {
      await undo.unwind(op.log);
      if (op.signal.aborted) throw op.signal.reason;
      throw err;
    }
  }

  /** Creates the instance's folder; says whether an earlier instance left it or why else mkdir failed. */
  private async makeInstanceDir(id: string, dir: string, op: OpContext): Promise<void> {
    const made = await this.executor.run(['mkdir', dir], { signal: op.signal });
    if (made.code !== 0) {
      const exists = (await this.executor.run(['test', '-e', dir], { signal: op.signal })).code === 0;
      if (exists) throw new DeskError('Conflict', `host ${this.opts.hostName}: ${dir} is left from an earlier instance ${id} — destroy that instance, then retry`, { id });
      throw new DeskError('Unavailable', `host ${this.opts.hostName}: cannot create ${dir}: ${made.stderr.trim() || `mkdir exit ${made.code}`} — check that ${this.paths.instancesDir} is writable (provision the host again)`, { id });
    }
  }

  private reservationsFile(id: string): string {
    return `${this.paths.instanceDir(id)}/dhcp-reservations.json`;
  }

  private async writeSeed(spec: InstanceSpec, op: OpContext): Promise<void> {
    const dir = this.paths.instanceDir(spec.id);
    await this.executor.writeFile(`${dir}/meta-data`, buildMetaData(spec.id, spec.hostname));
    await this.executor.writeFile(`${dir}/user-data`, buildUserData(spec.publicKeys, spec.userData), { mode: 0o600 });
    await this.executor.runChecked(
      ['genisoimage', '-quiet', '-output', this.paths.seedIso(spec.id), '-volid', 'cidata', '-joliet', '-rock', `${dir}/user-data`, `${dir}/meta-data`],
      { signal: op.signal, hint: 'install genisoimage on the host (provision it again)' },
    );
  }

  async destroy(instanceId: string, op: OpContext): Promise<void> {
    const id = assertInstanceId(instanceId);
    const stopped = await this.virsh.run(['destroy', id], op);
    if (stopped.code !== 0 && !/not running|Domain not found|failed to get domain/i.test(stopped.stderr)) throw this.virsh.failed(['destroy', id], stopped);
    let gone = await this.virsh.run(['undefine', '--nvram', id], op);
    if (gone.code !== 0 && /nvram/i.test(gone.stderr)) gone = await this.virsh.run(['undefine', id], op);
    if (gone.code !== 0 && !/Domain not found|failed to get domain/i.test(gone.stderr)) throw this.virsh.failed(['undefine', id], gone);
    await releaseAddresses(this.virsh, await readReservations(this.executor, this.reservationsFile(id)), op);
    await this.executor.runChecked(['rm', '-rf', '--one-file-system', this.paths.instanceDir(id)], { signal: op.signal });
  }

  powerOn(instanceId: string, op: OpContext): Promise<void> {
    return powerOn(this.virsh, assertInstanceId(instanceId), op);
  }

  powerOff(instanceId: string, timeoutSeconds: number, op: OpContext): Promise<void> {
    return powerOff(this.virsh, assertInstanceId(instanceId), timeoutSeconds, op);
  }

  reboot(instanceId: string, kind: 'SOFT' | 'HARD', op: OpContext): Promise<void> {
    return reboot(this.virsh, assertInstanceId(instanceId), kind, this.opts.softRebootTimeoutSeconds ?? 120, op);
  }

  async getInfo(instanceId: string, op: OpContext): Promise<InstanceInfo> {
    const id = assertInstanceId(instanceId);
    return { id, powerState: await this.virsh.domState(id, op) };
  }

  async listInstances(op: OpContext): Promise<InstanceInfo[]> {
    const r = await this.virsh.checked(['list', '--all'], undefined, op);
    return parseDomainList(r.stdout).map((d) => ({ id: d.name, powerState: d.state }));
  }

  async consoleOutput(instanceId: string, lines: number | undefined, op: OpContext): Promise<string> {
    const id = assertInstanceId(instanceId);
    if (!(await this.virsh.exists(id, op))) throw this.virsh.notFound(id);
    const r = await this.executor.run(['tail', '-c', String(CONSOLE_MAX_BYTES), this.paths.consoleLog(id)], { signal: op.signal });
    if (r.code !== 0) return ''; // no log yet: the domain has not started since it was defined
    const text = r.stdout.replace(/\r\n/g, '\n').replace(/\r/g, '');
    if (lines === undefined) return text;
    if (lines <= 0) return '';
    return text.replace(/\n$/, '').split('\n').slice(-lines).join('\n');
  }

  async openConsole(instanceId: string, kind: 'serial' | 'vnc', op: OpContext): Promise<Duplex> {
    const id = assertInstanceId(instanceId);
    const state = await this.virsh.domState(id, op);
    if (state !== 'running' && state !== 'paused') {
      throw new DeskError('Conflict', `instance ${id} is not running (${state}) — start it to open its console`, { id, state });
    }
    if (kind === 'vnc') {
      const display = (await this.virsh.checked(['vncdisplay', id], id, op)).stdout.trim();
      const n = Number(/:(\d+)$/.exec(display)?.[1]);
      if (!Number.isInteger(n)) throw new DeskError('Internal', `host ${this.opts.hostName}: instance ${id} has no VNC display (virsh said "${display}")`);
      return this.executor.openTunnel('127.0.0.1', 5900 + n);
    }
    // --force takes the console over from a stale session (e.g. a closed app window)
    const s = await this.executor.openStream(['virsh', '-c', 'qemu:///system', 'console', '--force', id], { pty: true });
    s.stream.once('close', () => s.close());
    return s.stream;
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}
