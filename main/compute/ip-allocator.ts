// A simple fixed-IP allocator: the lowest free address of the network's IPv4 CIDR, skipping the
// network address, .1 (gateway), .2 (DHCP) and broadcast; unique per network by primary key.
import { createHash } from 'node:crypto';
import type { Db } from '../core/db';
import { DeskError } from '../core/errors';
import { nowIso } from '../core/ids';

const toInt = (ip: string): number => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function parseCidr(cidr: string): { base: number; size: number } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 30) throw new DeskError('BadRequest', `Invalid IPv4 CIDR ${cidr}.`);
  const bits = Number(m[5]);
  const size = 2 ** (32 - bits);
  const base = Math.floor(toInt(m.slice(1, 5).join('.')) / size) * size;
  return { base, size };
}

/** Neutron-style MAC (fa:16:3e prefix), derived from server and network so it is stable. */
export function macFor(serverId: string, networkId: string): string {
  const h = createHash('sha256').update(`${serverId}/${networkId}`).digest();
  return ['fa', '16', '3e', ...[h[0], h[1], h[2]].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** Takes the lowest free address; call inside a transaction. */
export function allocateFixedIp(db: Db, networkId: string, networkName: string, cidr: string, serverId: string): { addr: string; mac: string } {
  const { base, size } = parseCidr(cidr);
  const used = new Set(db.prepare('SELECT address FROM fixed_ips WHERE network_id = ?').pluck().all(networkId) as string[]);
  for (let n = base + 3; n < base + size - 1; n++) {
    const addr = toIp(n);
    if (used.has(addr)) continue;
    const mac = macFor(serverId, networkId);
    db.prepare('INSERT INTO fixed_ips (network_id, address, server_id, mac, created_at) VALUES (?, ?, ?, ?, ?)').run(networkId, addr, serverId, mac, nowIso());
    return { addr, mac };
  }
  throw new DeskError('Conflict', `No more IP addresses available on network ${networkName} (${cidr}); delete servers on it or use another network.`);
}

export function releaseFixedIps(db: Db, serverId: string): void {
  db.prepare('DELETE FROM fixed_ips WHERE server_id = ?').run(serverId);
}
