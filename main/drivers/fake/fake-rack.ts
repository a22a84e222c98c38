// The demo rack: simulated hosts held in memory and saved to one JSON file, so demo VMs
// survive a restart of the control plane just as real domains survive on real hosts.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeskError } from '../../core/errors';
import type { HostDriver, InstanceInfo } from '../types';
import { FaultTable, type FaultSpec, type FakeOp } from './faults';
import { FakeHostDriver, type RackAccess } from './fake-driver';
import type { FakeHostCapacity, FakeHostState, FakeInstance, FakeRackFile } from './fake-state';

export interface FakeRackOptions {
  /** Where the rack keeps its state; in memory only when absent. */
  stateFile?: string;
  /** Multiplies every simulated delay: 1 is realistic, 0 is instant (one microtask, no timers). */
  delayScale: number;
  /** Source of randomness for spawn times; Math.random when absent. */
  random?: () => number;
}

const DEFAULT_CPU_MODEL = 'Skylake-Client-IBRS';

/** Racks with a save pending, by state file, so a new rack on the same file reads the latest state. */
const pendingSaves = new Map<string, FakeRack>();

export class FakeRack {
  readonly delayScale: number;
  private readonly stateFile?: string;
  private readonly random: () => number;
  private readonly hosts = new Map<string, FakeHostState>();
  private readonly down = new Set<string>();
  private readonly faults = new FaultTable();
  /** Each host's JSON as last saved, so a change on one host re-serialises only that host. */
  private readonly serialized = new Map<string, string>();
  private saveScheduled: NodeJS.Immediate | null = null;

  constructor(opts: FakeRackOptions) {
    if (!(opts.delayScale >= 0)) throw new DeskError('BadRequest', `Fake delay scale must be 0 or more (got ${opts.delayScale}); set DESKSTACK_FAKE_DELAY_SCALE to e.g. 1 or 0.`);
    this.delayScale = opts.delayScale;
    this.stateFile = opts.stateFile;
    this.random = opts.random ?? Math.random;
    this.load();
  }

  /**
   * A driver for the named simulated host, created on first use with this capacity.
   * Instances already saved for that host (from an earlier run) are kept. `kind` picks a
   * failure-injecting subclass (FakeRescheduleDriver, FakeBuildAbortDriver) for tests.
   */
  driverFor(hostName: string, capacity: FakeHostCapacity, kind: new (rack: RackAccess) => FakeHostDriver = FakeHostDriver): HostDriver {
    const existing = this.hosts.get(hostName);
    const hostIp = capacity.hostIp ?? existing?.capacity.hostIp ?? this.freeHostIp();
    const next: FakeHostState = {
      capacity: { vcpus: capacity.vcpus, memoryMb: capacity.memoryMb, diskGb: capacity.diskGb, cpuModel: capacity.cpuModel ?? DEFAULT_CPU_MODEL, hostIp },
      instances: existing?.instances ?? {},
      bootedAt: existing?.bootedAt ?? new Date().toISOString(),
    };
    this.hosts.set(hostName, next);
    this.save(hostName);
    return new kind(this.accessFor(hostName));
  }

  /** Makes matching operations fail (see FaultSpec); used by tests and the demo's "break something". */
  inject(fault: FaultSpec): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** A down host rejects every call, ping included, until it is set up again. */
  setHostDown(name: string, down: boolean): void {
    if (down) this.down.add(name);
    else this.down.delete(name);
  }

  isHostDown(name: string): boolean {
    return this.down.has(name);
  }

  hostNames(): string[] {
    return [...this.hosts.keys()].sort();
  }

  /** What the simulated host runs, as its hypervisor would list it. */
  instancesOn(hostName: string): InstanceInfo[] {
    return Object.values(this.hosts.get(hostName)?.instances ?? {}).map((i) => ({ id: i.id, powerState: i.powerState }));
  }

  /** The files an instance's guest was handed (its NoCloud seed or config drive), by path; undefined when unknown. */
  guestFiles(hostName: string, instanceId: string): Map<string, Buffer> | undefined {
    const guest = this.hosts.get(hostName)?.instances[instanceId]?.guest;
    return guest && new Map(Object.entries(guest.files).map(([path, b64]) => [path, Buffer.from(b64, 'base64')]));
  }

  /** Drops a host and everything on it (the host was removed from the cloud). */
  forgetHost(hostName: string): void {
    this.down.delete(hostName);
    if (this.hosts.delete(hostName)) this.save(hostName);
  }

  private accessFor(hostName: string): RackAccess {
    return {
      hostName,
      state: () => {
        const h = this.hosts.get(hostName);
        if (!h) throw new DeskError('Unavailable', `Fake host ${hostName} was removed from the demo rack; add it again to use it.`);
        return h;
      },
      checkUp: () => {
        if (this.down.has(hostName)) {
          throw new DeskError('Unavailable', `Host ${hostName} is not answering: the demo rack has it switched off. Switch it back on to reach it.`, { host: hostName });
        }
      },
      fault: (op: FakeOp) => this.faults.take(op, hostName),
      scaled: (ms: number) => ms * this.delayScale,
      random: () => this.random(),
      save: () => this.save(hostName),
    };
  }

  private freeHostIp(): string {
    const used = new Set([...this.hosts.values()].map((h) => h.capacity.hostIp));
    for (let n = 11; ; n++) {
      const ip = `192.168.${100 + Math.floor(n / 250)}.${n % 250}`;
      if (!used.has(ip)) return ip;
    }
  }

  private load(): void {
    if (!this.stateFile) return;
    pendingSaves.get(this.stateFile)?.flush();
    if (!existsSync(this.stateFile)) return;
    let parsed: FakeRackFile;
    try {
      parsed = JSON.parse(readFileSync(this.stateFile, 'utf8')) as FakeRackFile;
    } catch (err) {
      throw new DeskError('Internal', `Demo rack state ${this.stateFile} is unreadable (${(err as Error).message}); move it away to start with an empty rack.`);
    }
    for (const [name, host] of Object.entries(parsed.hosts ?? {})) {
      // Instances caught mid-spawn by a crash would not exist on a real host either.
      const instances: Record<string, FakeInstance> = {};
      for (const inst of Object.values(host.instances ?? {})) if (inst.powerState !== 'nostate') instances[inst.id] = inst;
      this.hosts.set(name, { capacity: host.capacity, instances, bootedAt: host.bootedAt ?? new Date().toISOString() });
    }
  }

  /**
   * Writes pending changes now. Changes are otherwise written once per event-loop turn (every
   * change of a turn in one write), so a burst of operations costs one file write, not hundreds.
   */
  flush(): void {
    if (!this.saveScheduled || !this.stateFile) return;
    clearImmediate(this.saveScheduled);
    this.saveScheduled = null;
    if (pendingSaves.get(this.stateFile) === this) pendingSaves.delete(this.stateFile);
    const parts: string[] = [];
    for (const [name, host] of this.hosts) {
      let json = this.serialized.get(name);
      if (json === undefined) {
        json = `${JSON.stringify(name)}:${JSON.stringify(host)}`;
        this.serialized.set(name, json);
      }
      parts.push(json);
    }
    // Atomic: a temporary file renamed over the old one, so a crash never leaves half a file.
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, `{"version":1,"hosts":{${parts.join(',')}}}`, { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }

  private save(changedHost: string): void {
    if (!this.stateFile) return;
    this.serialized.delete(changedHost);
    if (this.saveScheduled) return;
    this.saveScheduled = setImmediate(() => this.flush());
    pendingSaves.set(this.stateFile, this);
  }
}
