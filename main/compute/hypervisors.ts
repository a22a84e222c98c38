// Hypervisor, compute service and availability zone views: hosts plus the scheduler's usage.
import type { Db } from '../core/db';
import type { HostService } from '../hosts/host-service';
import type { Scheduler } from '../scheduler/scheduler';
import { stableUuid } from './stable-uuid';
import type { HypervisorView } from './types';

/** A stable UUID for the nova-compute service of a host (Nova keeps service and node ids apart). */
export function serviceUuidFor(hostId: string): string {
  return stableUuid(`nova-compute:${hostId}`);
}

export function listHypervisors(db: Db, hosts: HostService, scheduler: Scheduler): HypervisorView[] {
  const usage = scheduler.usage();
  const running = new Map(
    (db.prepare("SELECT host_id, COUNT(*) AS n FROM servers WHERE deleted = 0 AND host_id IS NOT NULL GROUP BY host_id").all() as Array<{ host_id: string; n: number }>).map((r) => [r.host_id, r.n]),
  );
  const all = [...hosts.list()].sort((a, b) => (a.createdAt === b.createdAt ? a.name.localeCompare(b.name) : a.createdAt.localeCompare(b.createdAt)));
  return all.map((h, i) => {
    const u = usage.get(h.id) ?? { vcpus: 0, memoryMb: 0, diskGb: 0, instances: 0 };
    return {
      hostId: h.id,
      index: i + 1,
      name: h.name,
      state: h.state === 'up' ? 'up' : 'down',
      status: h.enabled ? 'enabled' : 'disabled',
      disabledReason: h.disabledReason,
      hypervisorType: h.hypervisorType,
      hypervisorVersion: h.hypervisorVersion,
      hostIp: h.hostIp,
      cpuModel: h.cpuModel,
      virtType: h.virtType,
      vcpus: h.vcpus,
      vcpusUsed: u.vcpus,
      memoryMb: h.memoryMb,
      memoryMbUsed: u.memoryMb,
      localGb: h.diskGb,
      localGbUsed: u.diskGb,
      runningVms: running.get(h.id) ?? u.instances,
      availabilityZone: h.availabilityZone,
      updatedAt: h.updatedAt,
      serviceId: serviceUuidFor(h.id),
    };
  });
}
