// Boots the test guest on a rack host by hand (no DeskStack involved): a qcow2 overlay on the cached
// image, a NoCloud seed ISO, and a type='qemu' domain on the host's libvirt `default` network.
// Used by the rack smoke test and handy when debugging the libvirt driver.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RackHost } from './rack';
import type { RunResult } from './run';

export const GUEST_MARKER = 'DESKSTACK-GUEST-READY';

export interface HandGuest {
  name: string;
  /** Console log as seen from the machine (root namespace). */
  consoleLogPath: string;
  /** Paths inside the host. */
  diskPath: string;
  seedPath: string;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

function ok(what: string, r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r;
}

export function guestDomainXml(g: { name: string; diskPath: string; seedPath: string; consoleLog: string; memoryMiB?: number }): string {
  const e = xmlEscape;
  return `<domain type='qemu'>
  <name>${e(g.name)}</name>
  <memory unit='MiB'>${g.memoryMiB ?? 256}</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${e(g.diskPath)}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='${e(g.seedPath)}'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <interface type='network'>
      <source network='default'/>
      <model type='virtio'/>
    </interface>
    <serial type='pty'>
      <log file='${e(g.consoleLog)}' append='off'/>
      <target port='0'/>
    </serial>
    <console type='pty'><target type='serial' port='0'/></console>
  </devices>
</domain>
`;
}

/** Defines and starts guest `name` on `host`, whose libvirt `default` network must be active. */
export async function bootHandGuest(host: RackHost, imagePath: string, name: string, hostname: string): Promise<HandGuest> {
  for (const v of [name, hostname]) {
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(v)) throw new Error(`guest name "${v}" must be lowercase letters, digits and dashes`);
  }
  const hostRoot = join(host.dir, 'var-lib-deskstack'); // the host's /var/lib/deskstack, seen from the machine
  mkdirSync(join(hostRoot, 'images'), { recursive: true, mode: 0o755 });
  mkdirSync(join(hostRoot, 'hand', name), { recursive: true, mode: 0o755 });
  // a private copy: libvirt relabels backing files, which must not touch the shared cache
  if (!existsSync(join(hostRoot, 'images', 'guest.qcow2'))) copyFileSync(imagePath, join(hostRoot, 'images', 'guest.qcow2'));
  const inHost = `/var/lib/deskstack/hand/${name}`;
  const seedDir = join(hostRoot, 'hand', name, 'seed');
  mkdirSync(seedDir, { recursive: true });
  writeFileSync(join(seedDir, 'meta-data'), `instance-id: iid-${name}\nlocal-hostname: ${hostname}\n`);
  writeFileSync(join(seedDir, 'user-data'), '#cloud-config\n');
  const g: HandGuest = {
    name,
    consoleLogPath: join(hostRoot, 'hand', name, 'console.log'),
    diskPath: `${inHost}/disk.qcow2`,
    seedPath: `${inHost}/seed.iso`,
  };
  ok('qemu-img create', await host.exec(['qemu-img', 'create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', '/var/lib/deskstack/images/guest.qcow2', g.diskPath, '64M']));
  ok('genisoimage', await host.exec(['genisoimage', '-quiet', '-output', g.seedPath, '-V', 'cidata', '-J', '-r', `${inHost}/seed/meta-data`, `${inHost}/seed/user-data`]));
  writeFileSync(join(hostRoot, 'hand', name, 'domain.xml'), guestDomainXml({ ...g, consoleLog: `${inHost}/console.log` }));
  ok('virsh define', await host.exec(['virsh', '-c', 'qemu:///system', 'define', `${inHost}/domain.xml`]));
  ok('virsh start', await host.exec(['virsh', '-c', 'qemu:///system', 'start', name]));
  return g;
}

/** Waits for the marker line in the guest's console log; returns the line, or throws after timeoutMs. */
export async function waitForMarker(g: HandGuest, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = existsSync(g.consoleLogPath) ? readFileSync(g.consoleLogPath, 'utf8') : '';
    const line = text.split(/\r?\n/).find((l) => l.startsWith(GUEST_MARKER));
    if (line) return line.trim();
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = existsSync(g.consoleLogPath) ? readFileSync(g.consoleLogPath, 'utf8').slice(-2000) : '(no console log)';
  throw new Error(`guest ${g.name}: no ${GUEST_MARKER} line within ${timeoutMs} ms; console:\n${tail}`);
}

/** Destroys and undefines the guest; missing domains are fine. */
export async function removeHandGuest(host: RackHost, name: string): Promise<void> {
  await host.exec(['virsh', '-c', 'qemu:///system', 'destroy', name]);
  await host.exec(['virsh', '-c', 'qemu:///system', 'undefine', name]);
}
