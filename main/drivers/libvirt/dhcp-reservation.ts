// Pins each NIC's fixed IP in its libvirt network's DHCP server, so the guest gets exactly the
// address the control plane shows. The reservations are recorded in the instance folder, so
// destroy can remove them without the control plane's help.
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

const toInt = (ip: string): number => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);

/** The network's IPv4 subnet from `virsh net-dumpxml` (`<ip address='192.168.122.1' netmask='255.255.255.0'>` or `prefix='24'`). */
export function subnetOf(networkXml: string): { base: number; mask: number } | null {
  const tag = /<ip\b[^>]*>/.exec(networkXml)?.[0];
  if (!tag) return null;
  const attr = (name: string): string | undefined => new RegExp(`\\b${name}=['"]([^'"]+)['"]`).exec(tag)?.[1];
  const address = attr('address');
  const netmask = attr('netmask');
  const prefix = Number(attr('prefix'));
  if (!address || !IPV4.test(address)) return null;
  const mask = netmask && IPV4.test(netmask) ? toInt(netmask) | 0 : prefix > 0 && prefix <= 32 ? (0xffffffff << (32 - prefix)) | 0 : null;
  if (mask === null) return null;
  return { base: toInt(address) & mask, mask };
}

export function inSubnet(ip: string, subnet: { base: number; mask: number }): boolean {
  return IPV4.test(ip) && (toInt(ip) & subnet.mask) === subnet.base;
}

export function hostEntryXml(r: Reservation): string {
  // Both values were validated against strict patterns: nothing else can reach the XML.
  if (!MAC.test(r.mac) || !IPV4.test(r.ip)) throw new Error(`invalid DHCP reservation ${r.mac} ${r.ip}`);
  return `<host mac='${r.mac.toLowerCase()}' ip='${r.ip}'/>`;
}

/**
 * Adds a reservation for each NIC whose IP lies in its network's subnet (others are skipped with a
 * log line: the guest then takes any free lease). A stale entry for the same MAC or IP is replaced.
 * `onReserved` hears of each one as soon as it is made, so a caller can register its undo before
 * a later NIC fails.
 */
export async function reserveAddresses(virsh: Virsh, nics: NicSpec[], op: OpContext, onReserved?: (r: Reservation) => void): Promise<Reservation[]> {
  const made: Reservation[] = [];
  for (const nic of nics) {
    if (!nic.ip || !MAC.test(nic.mac)) continue;
    const xml = await virsh.checked(['net-dumpxml', nic.hostNetwork], undefined, op);
    const subnet = subnetOf(xml.stdout);
    if (!subnet || !inSubnet(nic.ip, subnet)) {
      op.log?.(`fixed IP ${nic.ip} is outside libvirt network ${nic.hostNetwork}; the guest takes a DHCP lease instead`);
      continue;
    }
    const r: Reservation = { network: nic.hostNetwork, mac: nic.mac.toLowerCase(), ip: nic.ip };
    await removeStale(virsh, r, xml.stdout, op);
    await virsh.checked(['net-update', r.network, 'add-last', 'ip-dhcp-host', hostEntryXml(r), '--live', '--config'], undefined, op);
    made.push(r);
    onReserved?.(r);
  }
  return made;
}

async function removeStale(virsh: Virsh, r: Reservation, networkXml: string, op: OpContext): Promise<void> {
  for (const m of networkXml.matchAll(/<host\b[^>]*\/>/g)) {
    const entry = m[0];
    const mac = /mac=['"]([^'"]+)['"]/.exec(entry)?.[1]?.toLowerCase();
    const ip = /ip=['"]([^'"]+)['"]/.exec(entry)?.[1];
    if ((mac === r.mac || ip === r.ip) && mac && ip && MAC.test(mac) && IPV4.test(ip)) {
      await virsh.run(['net-update', r.network, 'delete', 'ip-dhcp-host', hostEntryXml({ network: r.network, mac, ip }), '--live', '--config'], op);
    }
  }
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
