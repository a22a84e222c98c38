import type { ReactElement } from 'react';
import type { HostView } from '../../../main/api/contract/index';
import { formatRam, Meter } from '../components/meter';
import { StatusChip } from '../components/status-chip';
import { plural } from '../components/plural';

export function hostStatus(h: HostView): string {
  if (h.state !== 'up') return h.state.toUpperCase();
  // A real host is usable only once provisioned: show where its setup stands.
  if (h.driver !== 'fake' && h.provisionState !== 'ready') return h.provisionState.toUpperCase();
  if (!h.enabled) return 'MAINTENANCE';
  return 'UP';
}

/** A host's capacity bars: vCPU, RAM and disk used against total, with the overcommit limit. */
export function HostCard({ host, children }: { host: HostView; children?: ReactElement | null }): ReactElement {
  const gb = (n: number) => (n >= 1024 ? `${(n / 1024).toFixed(1)}T` : String(Math.round(n)));
  return (
    <div className="card host-card" data-host={host.name}>
      <div className="card-head">
        <h3>{host.name}</h3>
        <StatusChip status={hostStatus(host)} />
        <span className="muted" style={{ marginLeft: 'auto', fontSize: 12 }}>
          {plural(host.usage.instances, 'instance')} · {host.driver === 'fake' ? 'demo rack' : host.address}
        </span>
      </div>
      <div className="card-body">
        <Meter label="vCPU" used={host.usage.vcpusUsed} total={host.vcpus} ratio={host.cpuAllocationRatio} unit="" color="var(--bar-vcpu)" />
        <Meter label="RAM" used={host.usage.ramMbUsed} total={host.ramMb} ratio={host.ramAllocationRatio} unit="" color="var(--bar-ram)" format={(n) => formatRam(n)} />
        <Meter label="Disk" used={host.usage.diskGbUsed} total={host.diskGb} ratio={host.diskAllocationRatio} unit="GB" color="var(--bar-disk)" format={gb} />
        {host.disabledReason && <div className="hint">Maintenance: {host.disabledReason}</div>}
        {children}
      </div>
    </div>
  );
}
