// Soft server-group policies. Their multiplier outweighs the RAM weigher so the policy holds
// whenever it can, and only gives way when no other host fits.
import type { Candidate, ScheduleRequest, Weigher } from '../types';

const membersOn = ({ host }: Candidate, req: ScheduleRequest) => req.group?.memberHostIds.filter((id) => id === host.id).length ?? 0;

export const serverGroupSoftAffinityWeigher: Weigher = {
  name: 'ServerGroupSoftAffinityWeigher',
  multiplier: 10,
  raw: (c, req) => (req.group?.policy === 'soft-affinity' ? membersOn(c, req) : 0),
};

export const serverGroupSoftAntiAffinityWeigher: Weigher = {
  name: 'ServerGroupSoftAntiAffinityWeigher',
  multiplier: 10,
  raw: (c, req) => (req.group?.policy === 'soft-anti-affinity' ? -membersOn(c, req) : 0),
};
