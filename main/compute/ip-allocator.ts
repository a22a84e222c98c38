// A simple fixed-IP allocator: the lowest free address of the network's IPv4 CIDR, skipping the
// network address, .1 (gateway), .2 (DHCP) and broadcast; unique per network by primary key.
// MACs are random and unique (a UNIQUE index per network backs the check).
import { randomBytes } from 'node:crypto';
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

/** A random Neutron-style MAC (fa:16:3e prefix, as Neutron's base_mac). */
export function randomMac(): string {
  return ['fa', '16', '3e', ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

// 16M MACs and a few thousand ports: a clash is rare, ten in a row means something else is wrong.
const MAC_TRIES = 10;

/** A MAC no port has yet; call inside the allocation transaction so nobody takes it meanwhile. */
function freeMac(db: Db, networkName: string, nextMac: () => string): string {
  const taken = db.prepare('SELECT 1 FROM fixed_ips WHERE mac = ? LIMIT 1').pluck();
  for (let i = 0; i < MAC_TRIES; i++) {
    const mac = nextMac();
    if (!taken.get(mac)) return mac;
  }
  throw new DeskError('Conflict', `Could not find a free MAC address for a port on network ${networkName}; try again.`);
}

/** Takes the lowest free address and a unique MAC; call inside a transaction. */
export function allocateFixedIp(
  db: Db,
  networkId: string,
  networkName: string,
  cidr: string,
  serverId: string,
  /** Source of candidate MACs; tests pass a fixed sequence to force a clash. */
  nextMac: () => string = randomMac,
): { addr: string; mac: string } {
  const { base, size } = parseCidr(cidr);
  const used = new Set(db.prepare('SELECT address FROM fixed_ips WHERE network_id = ?').pluck().all(networkId) as string[]);
  for (let n = base + 3; n < base + size - 1; n++) {
    const addr = toIp(n);
    if (used.has(addr)) continue;
    const mac = freeMac(db, networkName, nextMac);
    db.prepare('INSERT INTO fixed_ips (network_id, address, server_id, mac, created_at) VALUES (?, ?, ?, ?, ?)').run(networkId, addr, serverId, mac, nowIso());
    return { addr, mac };
  }
  throw new DeskError('Conflict', `No more IP addresses available on network ${networkName} (${cidr}); delete servers on it or use another network.`);
}

export function releaseFixedIps(db: Db, serverId: string): void {
  db.prepare('DELETE FROM fixed_ips WHERE server_id = ?').run(serverId);
}
