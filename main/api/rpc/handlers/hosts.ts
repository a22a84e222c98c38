import type { ControlPlane } from '../../../control-plane';
import type { HostView } from '../../contract/views';
import type { Handler } from '../dispatch';

/** Every host with what its allocations hold (the scheduler's view of usage). */
export function hostViews(cp: ControlPlane): HostView[] {
  const usage = cp.scheduler.usage();
  return cp.hosts.list().map((h) => {
    const u = usage.get(h.id);
    return {
      id: h.id,
      name: h.name,
      driver: h.driver,
      address: h.address,
      state: h.state,
      enabled: h.enabled,
      disabledReason: h.disabledReason,
      provisionState: h.provisionState,
      vcpus: h.vcpus,
      ramMb: h.memoryMb,
      diskGb: h.diskGb,
      cpuAllocationRatio: h.cpuAllocationRatio,
      ramAllocationRatio: h.ramAllocationRatio,
      diskAllocationRatio: h.diskAllocationRatio,
      usage: { vcpusUsed: u?.vcpus ?? 0, ramMbUsed: u?.memoryMb ?? 0, diskGbUsed: u?.diskGb ?? 0, instances: u?.instances ?? 0 },
      lastSeenAt: h.lastSeenAt,
    };
  });
}

export const hostList: Handler<'hostList'> = ({ cp }) => hostViews(cp);
