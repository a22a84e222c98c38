import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecResult, Executor } from '../../main/drivers/executor/executor';
import { hostEntryXml, releaseAddresses, reservationsFor, type Reservation } from '../../main/drivers/libvirt/dhcp-reservation';
import { Virsh } from '../../main/drivers/libvirt/virsh';

test('a reservation entry accepts only a MAC and an IPv4 address', () => {
  assert.equal(hostEntryXml({ network: 'default', mac: 'FA:16:3E:00:00:01', ip: '192.168.122.3' }), "<host mac='fa:16:3e:00:00:01' ip='192.168.122.3'/>");
  assert.throws(() => hostEntryXml({ network: 'default', mac: "fa:16:3e:00:00:01' name='x", ip: '192.168.122.3' }));
  assert.throws(() => hostEntryXml({ network: 'default', mac: 'fa:16:3e:00:00:01', ip: '$(reboot)' }));
});

test('reservations are asked for NICs with a fixed IPv4 address and a MAC, lower-cased', () => {
  const nics = [
    { networkId: 'n1', hostNetwork: 'default', mac: 'FA:16:3E:00:00:01', ip: '192.168.122.10' },
    { networkId: 'n2', hostNetwork: 'default', mac: 'fa:16:3e:00:00:02' },
    { networkId: 'n3', hostNetwork: 'default', mac: '', ip: '192.168.122.12' },
    { networkId: 'n4', hostNetwork: 'default', mac: 'fa:16:3e:00:00:04', ip: 'fe80::1' },
  ];
  assert.deepEqual(reservationsFor(nics), [{ network: 'default', mac: 'fa:16:3e:00:00:01', ip: '192.168.122.10' }]);
});

/** Records the commands it is given; every virsh net-update fails, as when the entry is already gone. */
class RecordingHost implements Executor {
  readonly target = 'recording';
  commands: string[][] = [];
  async run(argv: string[]): Promise<ExecResult> {
    this.commands.push(argv);
    return { code: 1, stdout: '', stderr: "error: couldn't locate a matching dhcp host entry" };
  }
  runChecked = async (argv: string[]): Promise<ExecResult> => this.run(argv);
  putFile = async (): Promise<void> => undefined;
  writeFile = async (): Promise<void> => undefined;
  readFile = async (): Promise<Buffer> => Buffer.alloc(0);
  openTunnel = async (): Promise<never> => assert.fail('no tunnels');
  openStream = async (): Promise<never> => assert.fail('no streams');
  close = async (): Promise<void> => undefined;
}

test('releasing reservations deletes each valid entry, skips forged ones and never fails', async () => {
  const host = new RecordingHost();
  const reservations: Reservation[] = [
    { network: 'default', mac: 'fa:16:3e:00:00:01', ip: '192.168.122.10' },
    { network: 'default', mac: "x' name='y", ip: '192.168.122.11' },
  ];
  await releaseAddresses(new Virsh(host, 'recording'), reservations, { signal: new AbortController().signal });
  assert.deepEqual(host.commands, [['virsh', '-c', 'qemu:///system', 'net-update', 'default', 'delete', 'ip-dhcp-host', "<host mac='fa:16:3e:00:00:01' ip='192.168.122.10'/>", '--live', '--config']]);
});
