// The HostDriver contract. Drivers know nothing of the database, HTTP or projects: they
// receive plain specs and return facts. The fake driver (demo rack) and the libvirt driver
// implement it, and one shared driver test suite checks both.
import type { Duplex } from 'node:stream';

export type VirtType = 'kvm' | 'qemu';

/** What a host reports about itself; registered as its capacity. */
export interface HostFacts {
  hostname: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  cpuModel: string;
  virtType: VirtType;
  hypervisorType: string;
  /** Encoded like Nova: major*1_000_000 + minor*1_000 + patch. */
  hypervisorVersion: number;
  hostIp: string;
}

/** Nova's power states, by name. */
export type PowerState = 'nostate' | 'running' | 'paused' | 'shutdown' | 'crashed' | 'suspended';

export const POWER_STATE_CODE: Record<PowerState, number> = {
  nostate: 0,
  running: 1,
  paused: 3,
  shutdown: 4,
  crashed: 6,
  suspended: 7,
};

export interface ImageSpec {
  id: string;
  /** Path of the image bytes on the control plane's disk; the driver copies them to the host once. */
  path: string;
  diskFormat: string;
  sizeBytes: number;
}

export interface NicSpec {
  networkId: string;
  /** Name of the host-side network the NIC attaches to (libvirt network or bridge). */
  hostNetwork: string;
  mac: string;
  ip?: string;
}

/** A key pair as Nova's meta-data lists it (a server has at most one). */
export interface KeySpec {
  name: string;
  /** 'ssh' or 'x509', as Nova's key pair types. */
  type: string;
  publicKey: string;
}

export interface InstanceSpec {
  /** The server's UUID; also the domain's name and UUID on the host. */
  id: string;
  name: string;
  hostname: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  image: ImageSpec;
  nics: NicSpec[];
  /** The user's user_data, base64-decoded: the guest receives exactly these bytes, as on Nova. */
  userData?: Buffer;
  /** The server's key pair, handed to the guest in its meta-data (Nova's public_keys), never in user_data. */
  keys: KeySpec[];
  /** The server's metadata (Nova's `meta`). */
  metadata: Record<string, string>;
  /**
   * The admin password the API returned for the server (given or generated), which Nova hands the
   * guest as meta_data.json's admin_pass on a config drive. Never logged.
   */
  adminPass?: string;
  /** A config drive (ISO labelled config-2, Nova's openstack/latest layout) instead of a NoCloud seed. */
  configDrive?: boolean;
  /** Nova's launch_index: the instance's position in a multi-create request (default 0). */
  launchIndex?: number;
  availabilityZone?: string;
}

export interface InstanceInfo {
  id: string;
  powerState: PowerState;
}

/** Passed to every driver call: cancellation and a line-by-line log for the task. */
export interface OpContext {
  signal: AbortSignal;
  log?: (line: string) => void;
}

export interface HostDriver {
  readonly kind: 'fake' | 'libvirt';
  /** Reads the host's capacity and identity. */
  facts(op: OpContext): Promise<HostFacts>;
  /** Resolves when the host answers; rejects with a message that says what is wrong. */
  ping(op: OpContext): Promise<void>;
  /** The host's `uptime` line (clock, time up, users, load average), as Nova's hypervisor uptime shows it. */
  uptime(op: OpContext): Promise<string>;
  /**
   * Creates and starts the instance. The guest reads spec.userData unchanged and the keys, hostname and
   * metadata in its meta-data (guest-data.ts). If spawn fails it must clean up what it made
   * (disk, seed, domain) before rejecting, so a retry starts from nothing.
   */
  spawn(spec: InstanceSpec, op: OpContext): Promise<void>;
  /**
   * Nova's rebuild: the instance's root disk is made again from spec.image and its seed or config
   * drive from spec (new user_data, keys, hostname, admin password), its NICs (MACs, fixed IPs) and
   * domain identity stay, and it boots from the new disk (running afterwards). A running guest is
   * powered off hard first (the caller shuts it down cleanly before, if it wants). A missing instance
   * is made as spawn makes it. If it fails, the instance is as it was (the new image could not be
   * had), gone from the host, or — when removing the old one failed midway — partly there; rebuilding
   * again or destroying starts over from any of these. An abort rejects with the signal's reason.
   */
  rebuild(spec: InstanceSpec, op: OpContext): Promise<void>;
  /** Stops and removes the instance and its disks. Must succeed even if the instance is missing. */
  destroy(instanceId: string, op: OpContext): Promise<void>;
  powerOn(instanceId: string, op: OpContext): Promise<void>;
  /** Graceful (ACPI) shutdown for up to timeoutSeconds, then hard power-off. timeoutSeconds 0 = hard at once. */
  powerOff(instanceId: string, timeoutSeconds: number, op: OpContext): Promise<void>;
  reboot(instanceId: string, kind: 'SOFT' | 'HARD', op: OpContext): Promise<void>;
  /** Rejects with DeskError NotFound when the host has no such instance. */
  getInfo(instanceId: string, op: OpContext): Promise<InstanceInfo>;
  /** Every instance the host knows, including ones the control plane does not. */
  listInstances(op: OpContext): Promise<InstanceInfo[]>;
  /** The serial console log, last `lines` lines when given. */
  consoleOutput(instanceId: string, lines: number | undefined, op: OpContext): Promise<string>;
  /**
   * A live console as a byte stream both ways: 'serial' is the guest's serial port (text, for xterm.js),
   * 'vnc' is the RFB protocol of its graphical console (for noVNC). Tunnelled through the host
   * connection; nothing is opened on the LAN. Closing the stream detaches, the guest keeps running.
   */
  openConsole(instanceId: string, kind: 'serial' | 'vnc', op: OpContext): Promise<Duplex>;
  /** Releases connections. */
  close(): Promise<void>;
}
