import type { Filter } from '../types';

/** A reschedule never goes back to a host the build already failed on. */
export const retryFilter: Filter = {
  name: 'RetryFilter',
  check({ host }, req) {
    return req.excludeHostIds?.includes(host.id) ? 'already tried for this server' : null;
  },
};
