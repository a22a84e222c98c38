import type { Filter } from '../types';

/** The requested zone and, when one was forced or requested, the one host (its capacity is still checked). */
export const availabilityZoneFilter: Filter = {
  name: 'AvailabilityZoneFilter',
  check({ host }, req) {
    if (req.availabilityZone && host.availabilityZone !== req.availabilityZone) return `in availability zone ${host.availabilityZone}, not ${req.availabilityZone}`;
    if (req.host && host.name !== req.host) return `not the requested host ${req.host}`;
    return null;
  },
};
