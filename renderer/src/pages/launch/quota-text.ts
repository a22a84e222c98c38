// Quota numbers in words, for the launch wizard's checks and an over-quota refusal.
import type { OverQuotaDetails, QuotaView } from '../../../../main/api/contract/index';
import { formatRam } from '../../components/meter';
import { plural } from '../../components/plural';

type Res = 'instances' | 'cores' | 'ram';

function clause(r: Res, limit: number, used: number, requested: number): string {
  switch (r) {
    case 'instances':
      return `this project may run ${plural(limit, 'instance')} and has ${used}`;
    case 'cores':
      return `this project may use ${plural(limit, 'vCPU')} and uses ${used}; this launch needs ${requested} more`;
    case 'ram':
      return `this project may use ${formatRam(limit)} of RAM and uses ${formatRam(used)}; this launch needs ${formatRam(requested)} more`;
  }
}

function remedy(isAdmin: boolean): string {
  return isAdmin ? 'raise the quota on the Identity page, or delete an instance' : 'ask an admin to raise the quota, or delete an instance';
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Why compute refused a launch, from the OverQuota error's details; null when they are missing. */
export function explainOverQuota(details: Record<string, unknown> | undefined, isAdmin: boolean): string | null {
  const d = details as Partial<OverQuotaDetails> | undefined;
  if (!d?.overs?.length || !d.limits || !d.used || !d.requested) return null;
  const parts = d.overs.map((r) => clause(r, d.limits![r], d.used![r], d.requested![r]));
  return `${sentence(parts.join('; '))}: ${remedy(isAdmin)}.`;
}

/** What stops `count` instances of this size from fitting the quota, in words; null when they fit. */
export function quotaShortfall(quota: QuotaView | null, vcpus: number, ramMb: number, count: number, isAdmin: boolean): string | null {
  if (!quota) return null;
  const want: Record<Res, number> = { instances: count, cores: vcpus * count, ram: ramMb * count };
  const overs = (['instances', 'cores', 'ram'] as const).filter((r) => quota.limits[r] >= 0 && quota.usage[r] + want[r] > quota.limits[r]);
  if (!overs.length) return null;
  const parts = overs.map((r) => clause(r, quota.limits[r], quota.usage[r], want[r]));
  return `${plural(count, 'instance')} will not fit: ${parts.join('; ')}. Lower the count, pick a smaller flavor, or ${remedy(isAdmin)}.`;
}
