// Shapes shared by the scheduler, its filters and its weighers.
import type { HostView } from '../hosts/host-service';

export type GroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

export interface ScheduleRequest {
  /** The server being placed; its row must already exist (allocations reference servers). */
  serverId: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  /** A zone name (never Nova's "zone:host" form: compute parses that with parseZoneRequest). */
  availabilityZone?: string | null;
  /** One host's name, when an admin forced or requested it (capacity is still checked). */
  host?: string | null;
  /** The server's group: its policy and the hosts its other members run on (one entry per member). */
  group?: { policy: GroupPolicy; memberHostIds: string[] };
  /** Hosts already tried for this server (a reschedule after a failed build); never picked again. */
  excludeHostIds?: string[];
}

export interface Placement {
  hostId: string;
  hostName: string;
}

/** Resources held by the allocations on one host. */
export interface HostUsage {
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  instances: number;
}

export interface Allocation {
  serverId: string;
  hostId: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  createdAt: string;
}

/** A host as filters and weighers see it: its capacity and what is already allocated on it. */
export interface Candidate {
  host: HostView;
  used: HostUsage;
}

export interface Filter {
  /** Nova's filter class name; it appears in NoValidHost messages. */
  readonly name: string;
  /** Null when the host can take the request, else why not ("1024 MiB free < 2048 MiB"). */
  check(c: Candidate, req: ScheduleRequest): string | null;
}

export interface Weigher {
  readonly name: string;
  readonly multiplier: number;
  /** Bigger is better; values are normalised across the candidates before the multiplier applies. */
  raw(c: Candidate, req: ScheduleRequest): number;
}

export interface Rejection {
  hostId: string;
  hostName: string;
  filter: string;
  reason: string;
}

export const ZERO_USAGE: HostUsage = Object.freeze({ vcpus: 0, memoryMb: 0, diskGb: 0, instances: 0 });
