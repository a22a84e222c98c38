import type { Candidate, ScheduleRequest, Weigher } from '../types';
import { ramWeigher } from './ram-weigher';
import { serverGroupSoftAffinityWeigher, serverGroupSoftAntiAffinityWeigher } from './server-group-weighers';

export const DEFAULT_WEIGHERS: readonly Weigher[] = [ramWeigher, serverGroupSoftAffinityWeigher, serverGroupSoftAntiAffinityWeigher];

/**
 * Orders candidates best first. Like Nova, each weigher's values are scaled to 0..1 across the
 * candidates before its multiplier applies; ties go to the host name, then id, so results repeat.
 */
export function rank(candidates: Candidate[], req: ScheduleRequest, weighers: readonly Weigher[] = DEFAULT_WEIGHERS): Candidate[] {
  const score = new Map<Candidate, number>(candidates.map((c) => [c, 0]));
  for (const w of weighers) {
    const raws = candidates.map((c) => w.raw(c, req));
    const min = Math.min(...raws);
    const max = Math.max(...raws);
    if (max === min) continue;
    candidates.forEach((c, i) => score.set(c, score.get(c)! + (w.multiplier * (raws[i] - min)) / (max - min)));
  }
  return [...candidates].sort(
    (a, b) => score.get(b)! - score.get(a)! || (a.host.name < b.host.name ? -1 : a.host.name > b.host.name ? 1 : 0) || (a.host.id < b.host.id ? -1 : 1),
  );
}

export { ramWeigher, serverGroupSoftAffinityWeigher, serverGroupSoftAntiAffinityWeigher };
