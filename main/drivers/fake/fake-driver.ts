// One simulated host of the demo rack. Modelled on Nova's nova/virt/fake.py: it keeps
// instances in memory, takes realistic time, and behaves the way the HostDriver contract says.
import { DeskError, notFound } from '../../core/errors';
import type { Duplex } from 'node:stream';
import type { HostDriver, HostFacts, InstanceInfo, InstanceSpec, OpContext } from '../types';
import type { FakeOp } from './faults';
import { renderConsole } from './console-log';
import { openFakeSerial } from './fake-console';
import { MAX_CONSOLE_EVENTS, type ConsoleEventKind, type FakeGuestData, type FakeHostState, type FakeInstance } from './fake-state';
import { FAKE_TIMINGS_MS as T, pause } from './timings';
import { guestData } from '../guest-data';

/** What a driver may reach of its rack: its own host's state and the rack's knobs. */
export interface RackAccess {
  hostName: string;
  state(): FakeHostState;
  /** Throws Unavailable while the host is switched off. */
  checkUp(): void;
  fault(op: FakeOp): DeskError | null;
  scaled(ms: number): number;
  random(): number;
  save(): void;
}

const QEMU_VERSION = 8_002_002;

/** A freshly made instance (not yet running) for the spec. */
function instanceOf(spec: InstanceSpec, createdAt: string): FakeInstance {
  return {
    id: spec.id,
    name: spec.name,
    hostname: spec.hostname,
    vcpus: spec.vcpus,
    memoryMb: spec.memoryMb,
    diskGb: spec.diskGb,
    imageId: spec.image.id,
    nics: spec.nics.map((n) => ({ mac: n.mac, ...(n.ip ? { ip: n.ip } : {}) })),
    publicKeyCount: spec.keys.filter((k) => k.type === 'ssh').length,
    guest: fakeGuestData(spec),
    powerState: 'nostate',
    createdAt,
    events: [],
  };
}

/** The seed or config drive a real host would build for this spec, kept with the instance. */
function fakeGuestData(spec: InstanceSpec): FakeGuestData {
  const data = guestData(spec);
  return { datasource: data.datasource, label: data.label, files: Object.fromEntries(data.files.map((f) => [f.path, f.content.toString('base64')])) };
}

export class FakeHostDriver implements HostDriver {
  readonly kind = 'fake' as const;

  constructor(protected readonly rack: RackAccess) {}

  get hostName(): string {
    return this.rack.hostName;
  }

  async facts(op: OpContext): Promise<HostFacts> {
    await this.ready(op);
    const c = this.rack.state().capacity;
    return {
      hostname: this.hostName,
      vcpus: c.vcpus,
      memoryMb: c.memoryMb,
      diskGb: c.diskGb,
      cpuModel: c.cpuModel,
      virtType: 'kvm',
      hypervisorType: 'QEMU',
      hypervisorVersion: QEMU_VERSION,
      hostIp: c.hostIp,
    };
  }

  async ping(op: OpContext): Promise<void> {
    await this.ready(op);
    const err = this.rack.fault('ping');
    if (err) throw err;
  }

  async uptime(op: OpContext): Promise<string> {
    await this.ready(op);
    const host = this.rack.state();
    const running = Object.values(host.instances).filter((i) => i.powerState === 'running').length;
    return uptimeLine(new Date(), new Date(host.bootedAt ?? Date.now()), running);
  }

  async spawn(spec: InstanceSpec, op: OpContext): Promise<void> {
    op.signal.throwIfAborted();
    this.rack.checkUp();
    const host = this.rack.state();
    if (host.instances[spec.id]) throw new DeskError('Conflict', `Instance ${spec.id} already exists on host ${this.hostName}; destroy it before spawning again.`);
    const inst = instanceOf(spec, new Date().toISOString());
    host.instances[spec.id] = inst;
    const total = this.spawnTime();
    try {
      op.log?.(`Copying image ${spec.image.id} into ${this.hostName}'s image cache`);
      await pause(total * 0.4, op.signal);
      this.stillThere(inst);
      op.log?.(`Created root disk of ${spec.diskGb} GB and config drive for ${spec.hostname}`);
      const err = this.rack.fault('spawn');
      if (err) throw err;
      await this.boot(inst, total * 0.6, op);
    } catch (err) {
      // Clean up what we made, so a retry starts from nothing.
      if (host.instances[spec.id] === inst) delete host.instances[spec.id];
      throw err;
    }
  }

  async rebuild(spec: InstanceSpec, op: OpContext): Promise<void> {
    op.signal.throwIfAborted();
    this.rack.checkUp();
    const host = this.rack.state();
    const old = host.instances[spec.id];
    if (!old) {
      op.log?.(`Instance ${spec.id} is missing on ${this.hostName}; making it as a spawn does`);
      return this.spawn(spec, op);
    }
    const total = this.spawnTime();
    // Until the new image is in the cache the old instance is untouched, so a failure here leaves it as it was.
    op.log?.(`Copying image ${spec.image.id} into ${this.hostName}'s image cache`);
    await pause(total * 0.4, op.signal);
    this.stillThere(old);
    const err = this.rack.fault('rebuild');
    if (err) throw err;
    // Powered off, disk and seed made again, as libvirt's destroy and spawn: the console log starts over.
    const fresh = instanceOf(spec, old.createdAt);
    host.instances[spec.id] = fresh;
    op.log?.(`Recreated root disk of ${spec.diskGb} GB from image ${spec.image.id} and the config drive for ${spec.hostname}`);
    try {
      await this.boot(fresh, total * 0.6, op);
    } catch (e) {
      // Like a spawn failing after the destroy: nothing of the instance is left.
      if (host.instances[spec.id] === fresh) delete host.instances[spec.id];
      this.rack.save();
      throw e;
    }
  }

  private spawnTime(): number {
    return this.rack.scaled(T.spawnMin + this.rack.random() * (T.spawnMax - T.spawnMin));
  }

  /** The rest of a spawn: `ms` of booting, then the domain runs. */
  private async boot(inst: FakeInstance, ms: number, op: OpContext): Promise<void> {
    await pause(ms, op.signal);
    this.stillThere(inst);
    inst.powerState = 'running';
    this.record(inst, 'boot');
    op.log?.(`Domain ${inst.id} started on ${this.hostName}`);
    this.rack.save();
  }

  async destroy(instanceId: string, op: OpContext): Promise<void> {
    await this.ready(op);
    const host = this.rack.state();
    const inst = host.instances[instanceId];
    await pause(inst ? this.rack.scaled(T.destroy) : 0, op.signal);
    const err = this.rack.fault('destroy');
    if (err) throw err;
    if (host.instances[instanceId]) {
      delete host.instances[instanceId];
      op.log?.(`Domain ${instanceId} and its disks removed from ${this.hostName}`);
      this.rack.save();
    }
  }

  async powerOn(instanceId: string, op: OpContext): Promise<void> {
    this.find(instanceId, op);
    await pause(this.rack.scaled(T.powerOn), op.signal);
    const inst = this.find(instanceId, op);
    const err = this.rack.fault('powerOn');
    if (err) throw err;
    if (inst.powerState === 'running') return;
    inst.powerState = 'running';
    this.record(inst, 'boot');
    this.rack.save();
  }

  async powerOff(instanceId: string, timeoutSeconds: number, op: OpContext): Promise<void> {
    this.find(instanceId, op);
    const graceful = timeoutSeconds > 0;
    await pause(this.rack.scaled(graceful ? T.powerOffGraceful : T.powerOffHard), op.signal);
    const inst = this.find(instanceId, op);
    const err = this.rack.fault('powerOff');
    if (err) throw err;
    if (inst.powerState === 'shutdown') return;
    const wasRunning = inst.powerState === 'running';
    inst.powerState = 'shutdown';
    // A hard power-off cuts the console mid-line; an ACPI shutdown lets systemd say goodbye.
    if (graceful && wasRunning) this.record(inst, 'shutdown');
    this.rack.save();
  }

  async reboot(instanceId: string, kind: 'SOFT' | 'HARD', op: OpContext): Promise<void> {
    this.find(instanceId, op);
    await pause(this.rack.scaled(kind === 'SOFT' ? T.rebootSoft : T.rebootHard), op.signal);
    const inst = this.find(instanceId, op);
    const err = this.rack.fault('reboot');
    if (err) throw err;
    // Like libvirt: a soft reboot of a stopped guest falls back to a hard one, which starts it.
    if (kind === 'SOFT' && inst.powerState === 'running') this.record(inst, 'restart');
    inst.powerState = 'running';
    this.record(inst, 'boot');
    this.rack.save();
  }

  async getInfo(instanceId: string, op: OpContext): Promise<InstanceInfo> {
    await this.ready(op);
    const inst = this.find(instanceId, op);
    return { id: inst.id, powerState: inst.powerState };
  }

  async listInstances(op: OpContext): Promise<InstanceInfo[]> {
    await this.ready(op);
    return Object.values(this.rack.state().instances).map((i) => ({ id: i.id, powerState: i.powerState }));
  }

  async consoleOutput(instanceId: string, lines: number | undefined, op: OpContext): Promise<string> {
    await this.ready(op);
    const all = renderConsole(this.find(instanceId, op));
    const picked = lines === undefined ? all : lines <= 0 ? [] : all.slice(-lines);
    return picked.join('\n');
  }

  async openConsole(instanceId: string, kind: 'serial' | 'vnc', op: OpContext): Promise<Duplex> {
    await this.ready(op);
    const inst = this.find(instanceId, op);
    if (kind === 'vnc') throw new DeskError('Unavailable', 'The demo rack has no graphical console; use the serial console.');
    if (inst.powerState !== 'running') throw new DeskError('Conflict', `Instance ${instanceId} is not running on ${this.hostName}; start it to open its console (the console log stays readable).`);
    return openFakeSerial(() => {
      try {
        this.rack.checkUp();
        return this.rack.state().instances[instanceId] ?? null;
      } catch {
        // A host switched off (or removed) cuts the console like a lost SSH tunnel would.
        return null;
      }
    });
  }

  async close(): Promise<void> {
    // The rack is shared by every host's driver; there is no connection to release.
  }

  /** One microtask, then the host must be reachable and the caller still interested. */
  private async ready(op: OpContext): Promise<void> {
    await pause(0, op.signal);
    this.rack.checkUp();
  }

  private find(instanceId: string, op: OpContext): FakeInstance {
    op.signal.throwIfAborted();
    this.rack.checkUp();
    const inst = this.rack.state().instances[instanceId];
    if (!inst) throw notFound('Instance', instanceId);
    return inst;
  }

  private stillThere(inst: FakeInstance): void {
    this.rack.checkUp();
    if (this.rack.state().instances[inst.id] !== inst) {
      throw new DeskError('Conflict', `Instance ${inst.id} was destroyed on ${this.hostName} while it was being spawned or rebuilt.`);
    }
  }

  private record(inst: FakeInstance, kind: ConsoleEventKind): void {
    inst.events.push({ kind, at: new Date().toISOString() });
    if (inst.events.length > MAX_CONSOLE_EVENTS) inst.events.splice(0, inst.events.length - MAX_CONSOLE_EVENTS);
  }
}

/** An `uptime` line for a simulated host: up since it booted, a load of a tenth per running guest. */
export function uptimeLine(now: Date, bootedAt: Date, running: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const minutes = Math.max(0, Math.floor((now.getTime() - bootedAt.getTime()) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hm = `${Math.floor((minutes % 1440) / 60)}:${two(minutes % 60)}`;
  const up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hm}` : minutes < 60 ? `${minutes} min` : hm;
  const load = (running / 10).toFixed(2);
  return ` ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())} up ${up},  0 users,  load average: ${load}, ${load}, ${load}`;
}
