// The fields PUT /servers/{id} may change, as the servers table's columns; a rebuild changes the same ones.
import { canonicalIpv6 } from './access-ip';
import type { ServerPatch } from './server-store';
import type { ServerUpdate } from './types';

export function updatePatch(u: ServerUpdate): ServerPatch {
  const p: ServerPatch = {};
  if (u.name !== undefined) p.name = u.name;
  if (u.description !== undefined) p.description = u.description;
  if (u.hostname !== undefined) p.hostname = u.hostname;
  if (u.accessIPv4 !== undefined) p.access_ipv4 = u.accessIPv4;
  if (u.accessIPv6 !== undefined) p.access_ipv6 = canonicalIpv6(u.accessIPv6);
  if (u.diskConfig !== undefined) p.disk_config = u.diskConfig;
  return p;
}
