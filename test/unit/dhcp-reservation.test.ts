import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecResult, Executor } from '../../main/drivers/executor/executor';
import { hostEntryXml, inSubnet, releaseAddresses, reserveAddresses, subnetOf, type Reservation } from '../../main/drivers/libvirt/dhcp-reservation';
import { UndoList } from '../../main/drivers/libvirt/undo';
import { Virsh } from '../../main/drivers/libvirt/virsh';

const DEFAULT_NET = `<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'><dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip></network>`;

test('the libvirt network subnet is read from its XML, by netmask or prefix', () => {
  const s = subnetOf(DEFAULT_NET)!;
  assert.ok(inSubnet('192.168.122.3', s));
  assert.ok(!inSubnet('10.0.0.3', s));
  assert.ok(!inSubnet('192.168.123.3', s));
  const p = subnetOf(`<ip family='ipv4' prefix='16' address='10.20.0.1'/>`)!;
  assert.ok(inSubnet('10.20.200.9', p));
  assert.ok(!inSubnet('10.21.0.1', p));
  assert.equal(subnetOf('<network/>'), null);
});

test('a reservation entry accepts only a MAC and an IPv4 address', () => {
  assert.equal(hostEntryXml({ network: 'default', mac: 'FA:16:3E:00:00:01', ip: '192.168.122.3' }), "<host mac='fa:16:3e:00:00:01' ip='192.168.122.3'/>");
  assert.throws(() => hostEntryXml({ network: 'default', mac: "fa:16:3e:00:00:01' name='x", ip: '192.168.122.3' }));
  assert.throws(() => hostEntryXml({ network: 'default', mac: 'fa:16:3e:00:00:01', ip: '$(reboot)' }));
});

/** A host whose libvirt answers net-dumpxml with DEFAULT_NET and fails net-update add-last for one IP. */
class ScriptedVirshHost implements Executor {
  readonly target = 'scripted';
  commands: string[][] = [];
  constructor(private readonly failIp: string) {}
  async run(argv: string[]): Promise<ExecResult> {
    this.commands.push(argv);
    const a = argv.slice(3); // after virsh -c URI
    if (a[0] === 'net-dumpxml') return { code: 0, stdout: DEFAULT_NET, stderr: '' };
    if (a[0] === 'net-update' && a[2] === 'add-last' && a[4].includes(`ip='${this.failIp}'`)) return { code: 1, stdout: '', stderr: 'error: internal error: dnsmasq refused' };
    if (a[0] === 'net-update') return { code: 0, stdout: '', stderr: '' };
    return { code: 127, stdout: '', stderr: `${argv[0]}: not scripted` };
  }
  runChecked = async (argv: string[]): Promise<ExecResult> => this.run(argv);
  putFile = async (): Promise<void> => undefined;
  writeFile = async (): Promise<void> => undefined;
  readFile = async (): Promise<Buffer> => Buffer.alloc(0);
  openTunnel = async (): Promise<never> => assert.fail('no tunnels');
  openStream = async (): Promise<never> => assert.fail('no streams');
  close = async (): Promise<void> => undefined;
}

test('a failing later NIC leaves the earlier reservations registered for undo, and unwinding releases them', async () => {
  const host = new ScriptedVirshHost('192.168.122.11');
  const virsh = new Virsh(host, 'scripted');
  const op = { signal: new AbortController().signal };
  const undo = new UndoList();
  const heard: Reservation[] = [];
  const nics = [
    { networkId: 'n1', hostNetwork: 'default', mac: 'fa:16:3e:00:00:01', ip: '192.168.122.10' },
    { networkId: 'n2', hostNetwork: 'default', mac: 'fa:16:3e:00:00:02', ip: '192.168.122.11' },
  ];
  await assert.rejects(
    reserveAddresses(virsh, nics, op, (r) => {
      heard.push(r);
      undo.add(`DHCP reservation ${r.ip}`, () => releaseAddresses(virsh, [r], op));
    }),
    /virsh net-update failed .*dnsmasq refused/,
  );
  assert.deepEqual(heard, [{ network: 'default', mac: 'fa:16:3e:00:00:01', ip: '192.168.122.10' }]);
  host.commands = [];
  await undo.unwind();
  assert.deepEqual(host.commands, [['virsh', '-c', 'qemu:///system', 'net-update', 'default', 'delete', 'ip-dhcp-host', "<host mac='fa:16:3e:00:00:01' ip='192.168.122.10'/>", '--live', '--config']]);
});
