import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostEntryXml, inSubnet, subnetOf } from '../../main/drivers/libvirt/dhcp-reservation';

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
