// The demo rack's persisted shape: capacity and instances per simulated host.
import type { Datasource } from '../guest-data';
import type { PowerState } from '../types';

/** A power event that leaves lines on the serial console. */
export type ConsoleEventKind = 'boot' | 'shutdown' | 'restart';

export interface ConsoleEvent {
  kind: ConsoleEventKind;
  at: string;
}

export interface FakeNic {
  mac: string;
  ip?: string;
}

/** What the guest was handed at spawn: its seed or config drive, file by file, as a real guest reads it. */
export interface FakeGuestData {
  datasource: Datasource;
  label: string;
  /** Path on the seed or config drive → content, base64 (user_data can be any bytes). */
  files: Record<string, string>;
}

export interface FakeInstance {
  id: string;
  name: string;
  hostname: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  imageId: string;
  nics: FakeNic[];
  publicKeyCount: number;
  /** Absent for instances saved before the demo rack kept it. */
  guest?: FakeGuestData;
  powerState: PowerState;
  createdAt: string;
  /** Newest last; capped so the state file stays small. */
  events: ConsoleEvent[];
}

export interface FakeHostCapacity {
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  cpuModel?: string;
  hostIp?: string;
}

export interface FakeHostState {
  capacity: Required<FakeHostCapacity>;
  /** When the simulated host booted (absent in older state files: the rack's load time). */
  bootedAt?: string;
  instances: Record<string, FakeInstance>;
}

export interface FakeRackFile {
  version: 1;
  hosts: Record<string, FakeHostState>;
}

export const MAX_CONSOLE_EVENTS = 24;
