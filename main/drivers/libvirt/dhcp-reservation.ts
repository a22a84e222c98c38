// Each NIC's fixed IP is pinned in its libvirt network's DHCP server (by the spawn script), so the guest
// gets exactly the address the control plane shows. The reservations are recorded in the instance
// folder, so destroy can remove them without the control plane's help.
import type { Executor } from '../executor/executor';
import type { NicSpec, OpContext } from '../types';
import type { Virsh } from './virsh';

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export interface Reservation {
  network: string;
  mac: string;
  ip: string;
}

export function hostEntryXml(r: Reservation): string {
  // Both values were validated against strict patterns: nothing else can reach the XML.
  if (!MAC.test(r.mac) || !IPV4.test(r.ip)) throw new Error(`invalid DHCP reservation ${r.mac} ${r.ip}`);
  return `<host mac='${r.mac.toLowerCase()}' ip='${r.ip}'/>`;
}

/**
 * The reservations to ask for: one per NIC with a fixed IP and a MAC. The spawn script makes those whose
 * IP lies in their network's subnet (others are skipped with a log line: the guest takes any free lease).
 */
export function reservationsFor(nics: readonly NicSpec[]): Reservation[] {
  return nics.filter((n) => n.ip && IPV4.test(n.ip) && MAC.test(n.mac)).map((n) => ({ network: n.hostNetwork, mac: n.mac.toLowerCase(), ip: n.ip! }));
}

/** Removes reservations; never fails (destroy must succeed even when the network changed). */
export async function releaseAddresses(virsh: Virsh, reservations: Reservation[], op: OpContext): Promise<void> {
  for (const r of reservations) {
    if (!MAC.test(r.mac) || !IPV4.test(r.ip) || typeof r.network !== 'string') continue;
    await virsh.run(['net-update', r.network, 'delete', 'ip-dhcp-host', hostEntryXml(r), '--live', '--config'], op).catch(() => undefined);
  }
}

/** Reads the reservations recorded at spawn; none when the file is missing or unreadable. */
export async function readReservations(executor: Executor, file: string): Promise<Reservation[]> {
  try {
    const parsed: unknown = JSON.parse((await executor.readFile(file)).toString('utf8'));
    return Array.isArray(parsed) ? (parsed as Reservation[]) : [];
  } catch {
    return [];
  }
}
