// Builds a libvirt domain definition. Every value from a spec is XML-escaped; numbers are checked.
import type { InstanceSpec, VirtType } from '../types';

export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''); // not allowed in XML 1.0 at all
}

export const DESKSTACK_XMLNS = 'https://deskstack.dev/xmlns/libvirt/instance/1';

export interface DomainPaths {
  disk: string;
  seedIso: string;
  consoleLog: string;
}

function positiveInt(what: string, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}

function nicXml(nic: InstanceSpec['nics'][number]): string {
  const e = xmlEscape;
  const mac = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(nic.mac) ? `\n      <mac address='${e(nic.mac)}'/>` : '';
  return `    <interface type='network'>${mac}
      <source network='${e(nic.hostNetwork)}'/>
      <model type='virtio'/>
    </interface>`;
}

/** The domain for one instance: persistent, named and identified by the server's UUID. */
export function buildDomainXml(spec: InstanceSpec, virtType: VirtType, paths: DomainPaths): string {
  const e = xmlEscape;
  const meta = Object.entries(spec.metadata)
    .map(([k, v]) => `\n      <ds:meta key='${e(k)}'>${e(v)}</ds:meta>`)
    .join('');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(spec.id) ? `\n  <uuid>${e(spec.id)}</uuid>` : '';
  return `<domain type='${virtType === 'kvm' ? 'kvm' : 'qemu'}'>
  <name>${e(spec.id)}</name>${uuid}
  <title>${e(spec.name)}</title>
  <metadata>
    <ds:instance xmlns:ds='${DESKSTACK_XMLNS}'>
      <ds:name>${e(spec.name)}</ds:name>
      <ds:hostname>${e(spec.hostname)}</ds:hostname>
      <ds:image>${e(spec.image.id)}</ds:image>${meta}
    </ds:instance>
  </metadata>
  <memory unit='MiB'>${positiveInt('memoryMb', spec.memoryMb)}</memory>
  <vcpu>${positiveInt('vcpus', spec.vcpus)}</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>${virtType === 'kvm' ? "\n  <cpu mode='host-passthrough'/>" : ''}
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${e(paths.disk)}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='${e(paths.seedIso)}'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
${spec.nics.map(nicXml).join('\n')}
    <serial type='pty'>
      <log file='${e(paths.consoleLog)}' append='on'/>
      <target port='0'/>
    </serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <video><model type='vga'/></video>
  </devices>
</domain>
`;
}
