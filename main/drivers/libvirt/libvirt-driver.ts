// The real HostDriver: libvirt domains on a host, driven by commands over an Executor (SSH or local).
// Every instance lives in <stateDir>/instances/<id>/: its qcow2 overlay, seed ISO (NoCloud or config
// drive) and the files it was built from, domain XML, DHCP reservations and console log.
import type { Duplex } from 'node:stream';
import { DeskError } from '../../core/errors';
import type { Executor } from '../executor/executor';
import type { HostDriver, HostFacts, InstanceInfo, InstanceSpec, OpContext, VirtType } from '../types';
import { buildDomainXml } from './domain-xml';
import { readFacts } from './facts';
import { ImageCache } from './image-cache';
import { HostPaths, assertInstanceId } from './paths';
import { powerOff, powerOn, reboot } from './power';
import { UndoList } from './undo';
import { Virsh, parseDomainList } from './virsh';
import { readReservations, releaseAddresses, reservationsFor } from './dhcp-reservation';
import { runSpawnScript, type Made, type SpawnScriptInput } from './spawn-script';
import { guestData } from '../guest-data';

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
    const undo = new UndoList();
    const started = Date.now();
    const host = { executor: this.executor, virsh: this.virsh, paths: this.paths, hostName: this.opts.hostName };
    const input = this.spawnInput(spec);
    const onMade = (made: Made): void => this.registerUndo(id, made, undo, op);
    try {
      let outcome = await runSpawnScript(host, input, op, onMade);
      if (outcome === 'need-image') {
        await this.images.ensure(spec.image, op);
        outcome = await runSpawnScript(host, input, op, onMade);
        if (outcome === 'need-image') throw new DeskError('Unavailable', `host ${this.opts.hostName}: image ${spec.image.id} vanished from the host's cache while spawning ${id} — retry`, { id });
      }
      op.signal.throwIfAborted();
      undo.commit();
      op.log?.(`instance ${id} started in ${Date.now() - started} ms`);
    } catch (err) {
      await undo.unwind(op.log);
      if (op.signal.aborted) throw op.signal.reason;
      throw err;
    }
  }

  /**
   * Nova's rebuild on libvirt (its default implementation): the old domain, disk and seed go, and the
   * instance is spawned again from the spec — same UUID, MACs and fixed IPs, a fresh console log.
   */
  async rebuild(spec: InstanceSpec, op: OpContext): Promise<void> {
    const id = assertInstanceId(spec.id);
    // The new image reaches the host first: an image that cannot be had fails here, with the old instance untouched.
    await this.images.ensure(spec.image, op);
    op.log?.(`removing instance ${id}'s domain, disk and seed to rebuild it from image ${spec.image.id}`);
    await this.destroy(id, op);
    await this.spawn(spec, op);
  }

  /** What the host-side spawn needs: paths, networks, reservations, and the files of the instance folder. */
  private spawnInput(spec: InstanceSpec): SpawnScriptInput {
    const id = spec.id;
    const seed = guestData(spec);
    const domainXml = buildDomainXml(spec, this.opts.virtType, { disk: this.paths.disk(id), seedIso: this.paths.seedIso(id), consoleLog: this.paths.consoleLog(id) });
    return {
      id,
      base: this.paths.cachedImage(spec.image.id),
      diskGb: spec.diskGb,
      seedLabel: seed.label,
      networks: [...new Set(spec.nics.map((n) => n.hostNetwork))],
      reservations: reservationsFor(spec.nics),
      files: [{ path: 'domain.xml', content: Buffer.from(domainXml), mode: 0o644 }, ...seed.files.map((f) => ({ ...f, path: `seed/${f.path}` }))],
    };
  }

  /** Turns what the spawn script reports making into the undo step that removes exactly that. */
  private registerUndo(id: string, made: Made, undo: UndoList, op: OpContext): void {
    switch (made.kind) {
      case 'dir': {
        const dir = this.paths.instanceDir(id);
        op.log?.(`created instance folder ${dir}`);
        return undo.add(`instance folder ${dir}`, () => this.executor.run(['rm', '-rf', '--one-file-system', dir]));
      }
      case 'reservation': {
        const r = made.reservation;
        op.log?.(`reserving ${r.ip} for ${r.mac} on libvirt network ${r.network}`);
        return undo.add(`DHCP reservation ${r.ip} on ${r.network}`, () => releaseAddresses(this.virsh, [r], cleanupOp(op)));
      }
      case 'domain':
        op.log?.(`defining domain ${id}`);
        return undo.add(`domain ${id}`, () => this.virsh.run(['undefine', '--nvram', id], cleanupOp(op)));
      case 'running':
        op.log?.(`starting domain ${id}`);
        return undo.add(`running domain ${id}`, () => this.virsh.run(['destroy', id], cleanupOp(op)));
    }
  }

  private reservationsFile(id: string): string {
    return `${this.paths.instanceDir(id)}/dhcp-reservations.json`;
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
