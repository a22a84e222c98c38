// Hard server-group policies; the soft ones are weighers (see weighers/server-group-weighers.ts).
import type { Filter } from '../types';

export const serverGroupAntiAffinityFilter: Filter = {
  name: 'ServerGroupAntiAffinityFilter',
  check({ host }, req) {
    if (req.group?.policy !== 'anti-affinity') return null;
    return req.group.memberHostIds.includes(host.id) ? 'already runs a member of the server group (anti-affinity)' : null;
  },
};

export const serverGroupAffinityFilter: Filter = {
  name: 'ServerGroupAffinityFilter',
  check({ host }, req) {
    if (req.group?.policy !== 'affinity' || req.group.memberHostIds.length === 0) return null;
    return req.group.memberHostIds.includes(host.id) ? null : "does not run the server group's other members (affinity)";
  },
};
