// What a guest is handed at first boot, as Nova hands it: user_data byte for byte, the key pair and
// hostname in the meta-data, the config drive in Nova's openstack/latest layout.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { guestData, type NovaMetaData } from '../../../main/drivers/guest-data';
import type { InstanceSpec } from '../../../main/drivers/types';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGuestDataTestKey me@desk a\'b"c';
const SCRIPT = Buffer.from('#!/bin/sh\necho "hello from user_data"\n');

function spec(overrides: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    id: '0b7c1e2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d',
    name: 'web 1',
    hostname: 'web-1',
    vcpus: 1,
    memoryMb: 256,
    diskGb: 1,
    image: { id: 'img', path: '/dev/null', diskFormat: 'qcow2', sizeBytes: 0 },
    nics: [{ networkId: 'net-1', hostNetwork: 'default', mac: 'FA:16:3E:00:00:01', ip: '192.168.122.10' }],
    keys: [{ name: 'mykey', type: 'ssh', publicKey: KEY }],
    metadata: { role: 'web' },
    ...overrides,
  };
}

function files(s: InstanceSpec): Map<string, Buffer> {
  return new Map(guestData(s).files.map((f) => [f.path, f.content]));
}

describe('NoCloud seed (no config drive)', () => {
  it('hands a shell script over unchanged, with the key pair and hostname in meta-data', () => {
    const data = guestData(spec({ userData: SCRIPT }));
    assert.equal(data.label, 'cidata');
    const f = files(spec({ userData: SCRIPT }));
    assert.deepEqual([...f.keys()].sort(), ['meta-data', 'user-data']);
    assert.ok(f.get('user-data')!.equals(SCRIPT), 'user-data is the user_data, byte for byte');
    assert.deepEqual(parse(f.get('meta-data')!.toString()), { 'instance-id': spec().id, 'local-hostname': 'web-1', hostname: 'web-1', 'public-keys': [KEY] });
    assert.equal(data.files.find((x) => x.path === 'user-data')!.mode, 0o600);
  });

  it('keeps any bytes (gzip, invalid UTF-8, MIME) unchanged, and an empty user-data without a key pair', () => {
    for (const bytes of [gzipSync(SCRIPT), Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a]), Buffer.from('Content-Type: multipart/mixed; boundary="x"\n\n--x--\n')]) {
      assert.ok(files(spec({ userData: bytes })).get('user-data')!.equals(bytes));
    }
    const bare = files(spec({ keys: [] }));
    assert.equal(bare.get('user-data')!.length, 0, 'no user_data, nothing added: NoCloud only needs the file');
    assert.equal(parse(bare.get('meta-data')!.toString())['public-keys'], undefined);
  });

  it('lists only SSH keys as public-keys, and hostile names stay data', () => {
    const f = files(spec({ hostname: 'x"\n- evil: 1', keys: [{ name: 'cert', type: 'x509', publicKey: '-----BEGIN CERTIFICATE-----' }] }));
    const meta = parse(f.get('meta-data')!.toString()) as Record<string, unknown>;
    assert.equal(meta['local-hostname'], 'x"\n- evil: 1');
    assert.equal(meta['public-keys'], undefined);
  });
});

describe('config drive', () => {
  it("lays out Nova's openstack/latest and ec2/latest files, user_data byte for byte", () => {
    const gz = gzipSync(SCRIPT);
    const s = spec({ configDrive: true, userData: gz, launchIndex: 2, availabilityZone: 'nova' });
    const data = guestData(s);
    assert.equal(data.label, 'config-2');
    const f = files(s);
    assert.deepEqual([...f.keys()].sort(), [
      'ec2/latest/meta-data.json',
      'ec2/latest/user-data',
      'openstack/latest/meta_data.json',
      'openstack/latest/network_data.json',
      'openstack/latest/user_data',
      'openstack/latest/vendor_data.json',
      'openstack/latest/vendor_data2.json',
    ]);
    assert.ok(f.get('openstack/latest/user_data')!.equals(gz));
    assert.ok(f.get('ec2/latest/user-data')!.equals(gz));
    const meta = JSON.parse(f.get('openstack/latest/meta_data.json')!.toString()) as NovaMetaData;
    assert.equal(meta.uuid, s.id);
    assert.equal(meta.name, 'web 1');
    assert.equal(meta.hostname, 'web-1');
    assert.equal(meta.launch_index, 2);
    assert.equal(meta.availability_zone, 'nova');
    assert.deepEqual(meta.meta, { role: 'web' });
    assert.deepEqual(meta.public_keys, { mykey: KEY });
    assert.deepEqual(meta.keys, [{ name: 'mykey', type: 'ssh', data: KEY }]);
    assert.equal(Buffer.from(meta.random_seed, 'base64').length, 512);
    const net = JSON.parse(f.get('openstack/latest/network_data.json')!.toString());
    assert.deepEqual(net.links.map((l: { ethernet_mac_address: string }) => l.ethernet_mac_address), ['fa:16:3e:00:00:01']);
    assert.deepEqual(net.networks.map((n: { type: string; network_id: string }) => [n.type, n.network_id]), [['ipv4_dhcp', 'net-1']]);
    const ec2 = JSON.parse(f.get('ec2/latest/meta-data.json')!.toString());
    assert.equal(ec2['local-ipv4'], '192.168.122.10');
    assert.deepEqual(ec2['public-keys'], { '0': { 'openssh-key': KEY } });
  });

  it('has no user_data file and no public_keys when the server has neither', () => {
    const f = files(spec({ configDrive: true, keys: [] }));
    assert.equal(f.has('openstack/latest/user_data'), false);
    assert.equal(f.has('ec2/latest/user-data'), false);
    const meta = JSON.parse(f.get('openstack/latest/meta_data.json')!.toString()) as NovaMetaData;
    assert.equal(meta.public_keys, undefined);
    assert.equal(meta.keys, undefined);
    assert.equal(meta.admin_pass, undefined);
    assert.equal(guestData(spec({ configDrive: true })).files.find((x) => x.path === 'openstack/latest/meta_data.json')!.mode, 0o644);
  });

  it("puts the admin password in meta_data.json as Nova's admin_pass, readable by its owner only; a NoCloud seed never carries it", () => {
    const pass = 'Sw0rd"\n\u00e9';
    const drive = guestData(spec({ configDrive: true, adminPass: pass }));
    const metaFile = drive.files.find((x) => x.path === 'openstack/latest/meta_data.json')!;
    assert.equal((JSON.parse(metaFile.content.toString()) as NovaMetaData).admin_pass, pass);
    assert.equal(metaFile.mode, 0o600);
    for (const f of drive.files.filter((x) => x !== metaFile)) assert.ok(!f.content.includes(pass), `${f.path} does not carry the password`);
    for (const f of guestData(spec({ adminPass: pass })).files) assert.ok(!f.content.includes(pass), `${f.path} of the NoCloud seed does not carry the password`);
  });
});
