import type { Filter } from '../types';
import { availabilityZoneFilter } from './availability-zone-filter';
import { diskFilter, ramFilter, vcpuFilter } from './capacity-filters';
import { computeFilter } from './compute-filter';
import { retryFilter } from './retry-filter';
import { serverGroupAffinityFilter, serverGroupAntiAffinityFilter } from './server-group-filters';

/** Applied in this order; a host is reported with the first filter that rejects it. */
export const DEFAULT_FILTERS: readonly Filter[] = [
  computeFilter,
  retryFilter,
  availabilityZoneFilter,
  ramFilter,
  diskFilter,
  vcpuFilter,
  serverGroupAntiAffinityFilter,
  serverGroupAffinityFilter,
];

export { availabilityZoneFilter, computeFilter, diskFilter, ramFilter, retryFilter, serverGroupAffinityFilter, serverGroupAntiAffinityFilter, vcpuFilter };
