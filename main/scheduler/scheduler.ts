// Places servers on hosts with Nova's filter scheduler semantics, and owns the `allocations`
// table: filtering, weighing and claiming happen in one IMMEDIATE transaction, so two boots
// racing for the last slot on a host can never both get it.
import type { Db } from '../core/db';
import { inTransaction } from '../core/db';
import { conflict, DeskError } from '../core/errors';
import { nowIso } from '../core/ids';
import type { HostService } from '../hosts/host-service';
import { DEFAULT_FILTERS } from './filters/index';
import { rank } from './weighers/index';
import { ZERO_USAGE, type Allocation, type Candidate, type HostUsage, type Placement, type Rejection, type ScheduleRequest } from './types';

export type { Allocation, GroupPolicy, HostUsage, Placement, Rejection, ScheduleRequest } from './types';

type UsageRow = [hostId: string, vcpus: number, memoryMb: number, diskGb: number, instances: number];

interface AllocationRow {
  server_id: string;
  host_id: string;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  created_at: string;
}

const NO_HOSTS = 'No valid host was found. There are no compute hosts; add a host or start the demo rack.';

export class Scheduler {
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly hosts: HostService,
  ) {
    this.stmt = {
      // host_usage is the allocations table summed per host by triggers (migration 0009).
      // Raw rows: this runs on every boot, and arrays are about twice as cheap as objects here.
      usage: db.prepare('SELECT host_id, vcpus, memory_mb, disk_gb, instances FROM host_usage WHERE instances > 0').raw(),
      get: db.prepare('SELECT server_id, host_id, vcpus, memory_mb, disk_gb, created_at FROM allocations WHERE server_id = ?'),
      insert: db.prepare('INSERT INTO allocations (server_id, host_id, vcpus, memory_mb, disk_gb, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      release: db.prepare('DELETE FROM allocations WHERE server_id = ?'),
    };
  }

  /**
   * Picks a host for the server and records its allocation, atomically.
   * Throws NoValidHost (details.rejections names each host with the first filter that refused it)
   * when nothing fits, and Conflict when the server already holds an allocation (release it first).
   */
  schedule(req: ScheduleRequest): Placement {
    for (const [what, n] of [['vCPUs', req.vcpus], ['memory', req.memoryMb], ['disk', req.diskGb]] as const) {
      if (!Number.isInteger(n) || n < 0) throw new DeskError('BadRequest', `Cannot schedule ${n} ${what}: give a whole number of 0 or more.`);
    }
    return inTransaction(this.db, () => {
      const held = this.stmt.get.get(req.serverId) as AllocationRow | undefined;
      if (held) throw conflict(`Server ${req.serverId} already holds an allocation on host ${held.host_id}; release it before scheduling again.`);
      const hosts = this.hosts.list();
      if (hosts.length === 0) throw new DeskError('NoValidHost', NO_HOSTS, { rejections: [] });
      const usage = this.usageById();
      const passed: Candidate[] = [];
      const rejections: Rejection[] = [];
      for (const host of hosts) {
        const c: Candidate = { host, used: usage.get(host.id) ?? ZERO_USAGE };
        const rejection = firstRejection(c, req);
        if (rejection) rejections.push(rejection);
        else passed.push(c);
      }
      if (passed.length === 0) {
        const why = rejections.map((r) => `${r.hostName} rejected by ${r.filter}: ${r.reason}`).join('; ');
        throw new DeskError('NoValidHost', `No valid host was found. ${why}`, { rejections });
      }
      const best = rank(passed, req)[0].host;
      try {
        this.stmt.insert.run(req.serverId, best.id, req.vcpus, req.memoryMb, req.diskGb, nowIso());
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw conflict(`Server ${req.serverId} does not exist (it may have been deleted); create its row before scheduling it.`);
        }
        throw err;
      }
      return { hostId: best.id, hostName: best.name };
    });
  }

  /** Gives the server's resources back. Does nothing when it holds none. */
  release(serverId: string): void {
    this.stmt.release.run(serverId);
  }

  /** The server's allocation, or undefined when it holds none. */
  allocationFor(serverId: string): Allocation | undefined {
    const r = this.stmt.get.get(serverId) as AllocationRow | undefined;
    return r && { serverId: r.server_id, hostId: r.host_id, vcpus: r.vcpus, memoryMb: r.memory_mb, diskGb: r.disk_gb, createdAt: r.created_at };
  }

  /** Allocated resources by host id; every registered host is present (zeros when empty). */
  usage(): Map<string, HostUsage> {
    const out = new Map<string, HostUsage>(this.hosts.list().map((h) => [h.id, { ...ZERO_USAGE }]));
    for (const [id, u] of this.usageById()) out.set(id, u);
    return out;
  }

  private usageById(): Map<string, HostUsage> {
    const rows = this.stmt.usage.all() as UsageRow[];
    return new Map(rows.map(([hostId, vcpus, memoryMb, diskGb, instances]) => [hostId, { vcpus, memoryMb, diskGb, instances }]));
  }
}

function firstRejection(c: Candidate, req: ScheduleRequest): Rejection | null {
  for (const f of DEFAULT_FILTERS) {
    const reason = f.check(c, req);
    if (reason) return { hostId: c.host.id, hostName: c.host.name, filter: f.name, reason };
  }
  return null;
}
