import type { FlavorView, HostView, ImageView, QuotaView } from '../../../../main/api/contract/index';
import { quotaRoom } from '../../../../main/api/contract/rules';
import { formatRam } from '../../components/meter';

/** How many instances of this flavor the hosts could still take (within their overcommit limits). */
export function hostRoom(hosts: HostView[], f: FlavorView): number {
  let n = 0;
  for (const h of hosts) {
    if (h.state !== 'up' || !h.enabled) continue;
    const cpu = Math.floor((h.vcpus * h.cpuAllocationRatio - h.usage.vcpusUsed) / Math.max(1, f.vcpus));
    const ram = Math.floor((h.ramMb * h.ramAllocationRatio - h.usage.ramMbUsed) / Math.max(1, f.ramMb));
    const disk = f.diskGb > 0 ? Math.floor((h.diskGb * h.diskAllocationRatio - h.usage.diskGbUsed) / f.diskGb) : Infinity;
    n += Math.max(0, Math.min(cpu, ram, disk));
  }
  return n;
}

/** Why this image cannot boot on this flavor, or null. */
export function imageFit(img: ImageView | undefined, f: FlavorView): string | null {
  if (!img) return null;
  if (img.minRam > f.ramMb) return `needs ≥ ${formatRam(img.minRam)} RAM for ${img.name}`;
  if (img.minDisk > f.diskGb && f.diskGb > 0) return `needs ≥ ${img.minDisk} GB disk for ${img.name}`;
  return null;
}

/** Room for a flavor: the smaller of what the quota admits and what the hosts hold (hosts are known to admins only). */
export interface Room {
  n: number;
  /** Which limit binds: the project's quota, or the hosts' capacity. */
  by: 'quota' | 'hosts' | null;
}

export function flavorRoom(f: FlavorView, quota: QuotaView | null, hosts: HostView[] | null): Room {
  const q = quota ? quotaRoom(quota.limits, quota.usage, f.vcpus, f.ramMb) : Infinity;
  const h = hosts && hosts.length ? hostRoom(hosts, f) : Infinity;
  if (q === Infinity && h === Infinity) return { n: Infinity, by: null };
  return q <= h ? { n: q, by: 'quota' } : { n: h, by: 'hosts' };
}
