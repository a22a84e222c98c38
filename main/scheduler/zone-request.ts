// Nova's availability_zone request forms, parsed in one place (nova/compute/api.py
// parse_availability_zone): "zone", "zone:host", "zone:host:node", "zone::node", ":host".
import { badRequest } from '../core/errors';

export interface ZoneRequest {
  zone: string | null;
  /** A forced host (admin only: os_compute_api:servers:create:forced_host). */
  host: string | null;
  /** A forced node; DeskStack has one node per host, named like the host. */
  node: string | null;
}

export function parseZoneRequest(value: string | null | undefined): ZoneRequest {
  if (!value) return { zone: null, host: null, node: null };
  const parts = value.split(':');
  if (parts.length > 3) throw badRequest('Invalid input received: Unable to parse availability_zone');
  const [zone, host, node] = parts;
  return { zone: zone || null, host: host || null, node: node || null };
}
