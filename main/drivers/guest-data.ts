// What a guest reads at first boot, laid out as Nova hands it over: the user's user_data byte for byte,
// and the key pair, hostname and metadata in the meta-data (and the admin password on a config drive). Without a config drive the guest gets a
// NoCloud seed (label cidata: meta-data, user-data); with one, Nova's config drive (label config-2:
// openstack/latest/{meta_data.json,user_data,network_data.json,vendor_data*.json} and ec2/latest).
// Both drivers build from here, so the demo rack keeps exactly what a real guest would see.
import { randomBytes } from 'node:crypto';
import type { InstanceSpec } from './types';

export type Datasource = 'nocloud' | 'config-drive';

export interface GuestFile {
  /** Relative to the root of the seed or config drive. */
  path: string;
  content: Buffer;
  mode: number;
}

export interface GuestData {
  datasource: Datasource;
  /** The ISO 9660 volume label cloud-init looks for. */
  label: 'cidata' | 'config-2';
  files: GuestFile[];
}

/** Nova's openstack/latest/meta_data.json. */
export interface NovaMetaData {
  uuid: string;
  name: string;
  hostname: string;
  launch_index: number;
  availability_zone?: string;
  meta: Record<string, string>;
  /** Nova's extra_md on a config drive: the password the API returned for the server. */
  admin_pass?: string;
  public_keys?: Record<string, string>;
  keys?: { name: string; type: string; data: string }[];
  devices: never[];
  random_seed: string;
}

const RANDOM_SEED_BYTES = 512;
const SECRET = 0o600;
const PLAIN = 0o644;

export function datasourceOf(spec: Pick<InstanceSpec, 'configDrive'>): Datasource {
  return spec.configDrive ? 'config-drive' : 'nocloud';
}

export function novaMetaData(spec: InstanceSpec): NovaMetaData {
  const key = spec.keys[0];
  return {
    uuid: spec.id,
    name: spec.name,
    hostname: spec.hostname,
    launch_index: spec.launchIndex ?? 0,
    ...(spec.availabilityZone ? { availability_zone: spec.availabilityZone } : {}),
    meta: { ...spec.metadata },
    ...(spec.adminPass ? { admin_pass: spec.adminPass } : {}),
    // Nova names the server's one key pair in public_keys and lists it with its type in keys
    ...(key ? { public_keys: { [key.name]: key.publicKey }, keys: spec.keys.map((k) => ({ name: k.name, type: k.type, data: k.publicKey })) } : {}),
    devices: [],
    random_seed: randomBytes(RANDOM_SEED_BYTES).toString('base64'),
  };
}

/**
 * NoCloud's meta-data (YAML). Every value is a JSON string, which YAML reads as a double-quoted scalar,
 * so nothing in a name or key can break the document, and no key is ever folded over lines.
 */
export function noCloudMetaData(spec: InstanceSpec): string {
  const q = JSON.stringify;
  const sshKeys = spec.keys.filter((k) => k.type === 'ssh').map((k) => k.publicKey);
  const keys = sshKeys.length ? `public-keys:\n${sshKeys.map((k) => `  - ${q(k)}\n`).join('')}` : '';
  return `instance-id: ${q(spec.id)}\nlocal-hostname: ${q(spec.hostname)}\nhostname: ${q(spec.hostname)}\n${keys}`;
}

/** Nova's network_data.json: one link per NIC, each on DHCP (the host's DHCP server pins the fixed IP). */
export function networkData(spec: InstanceSpec): object {
  return {
    links: spec.nics.map((n, i) => ({ id: `tap${i}`, type: 'bridge', ethernet_mac_address: n.mac.toLowerCase(), vif_id: `${spec.id}-${i}`, mtu: null })),
    networks: spec.nics.map((n, i) => ({ id: `network${i}`, type: 'ipv4_dhcp', link: `tap${i}`, network_id: n.networkId })),
    services: [],
  };
}

/** The EC2-style meta-data Nova also writes (read by afterburn on Fedora CoreOS and Flatcar). */
function ec2MetaData(spec: InstanceSpec): object {
  const ip = spec.nics.find((n) => n.ip)?.ip;
  const sshKey = spec.keys.find((k) => k.type === 'ssh');
  return {
    'ami-launch-index': spec.launchIndex ?? 0,
    hostname: spec.hostname,
    'local-hostname': spec.hostname,
    'instance-id': spec.id,
    ...(ip ? { 'local-ipv4': ip } : {}),
    placement: { 'availability-zone': spec.availabilityZone ?? '' },
    ...(sshKey ? { 'public-keys': { '0': { 'openssh-key': sshKey.publicKey } } } : {}),
  };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** The files of the instance's seed or config drive, and the label that volume must carry. */
export function guestData(spec: InstanceSpec): GuestData {
  const userData = spec.userData ?? Buffer.alloc(0);
  if (datasourceOf(spec) === 'nocloud') {
    return {
      datasource: 'nocloud',
      label: 'cidata',
      files: [
        { path: 'meta-data', content: Buffer.from(noCloudMetaData(spec)), mode: PLAIN },
        // NoCloud needs the file even when empty; a guest sees no user_data then, as on Nova
        { path: 'user-data', content: userData, mode: SECRET },
      ],
    };
  }
  const given = spec.userData !== undefined && spec.userData.length > 0;
  return {
    datasource: 'config-drive',
    label: 'config-2',
    files: [
      // With an admin password in it, only its owner may read it on the host.
      { path: 'openstack/latest/meta_data.json', content: json(novaMetaData(spec)), mode: spec.adminPass ? SECRET : PLAIN },
      { path: 'openstack/latest/network_data.json', content: json(networkData(spec)), mode: PLAIN },
      { path: 'openstack/latest/vendor_data.json', content: json({}), mode: PLAIN },
      { path: 'openstack/latest/vendor_data2.json', content: json({}), mode: PLAIN },
      ...(given ? [{ path: 'openstack/latest/user_data', content: userData, mode: SECRET }] : []),
      { path: 'ec2/latest/meta-data.json', content: json(ec2MetaData(spec)), mode: PLAIN },
      ...(given ? [{ path: 'ec2/latest/user-data', content: userData, mode: SECRET }] : []),
    ],
  };
}
