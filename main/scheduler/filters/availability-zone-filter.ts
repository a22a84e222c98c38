import type { Filter } from '../types';

/** Splits Nova's "zone", "zone:host" or ":host" form. */
export function parseZoneRequest(value: string | null | undefined): { zone: string | null; host: string | null } {
  if (!value) return { zone: null, host: null };
  const [zone, host] = value.split(':');
  return { zone: zone || null, host: host || null };
}

export const availabilityZoneFilter: Filter = {
  name: 'AvailabilityZoneFilter',
  check({ host }, req) {
    const want = parseZoneRequest(req.availabilityZone);
    if (want.zone && host.availabilityZone !== want.zone) return `in availability zone ${host.availabilityZone}, not ${want.zone}`;
    if (want.host && host.name !== want.host) return `not the requested host ${want.host}`;
    return null;
  },
};
