// The InstanceSpec a server's row makes: what a host driver spawns at build, and again at rebuild.
import type { InstanceSpec, KeySpec } from '../drivers/types';
import type { ComputeCore } from './compute-deps';
import { hostnameFor } from './hostname';
import type { ServerRow } from './server-store';
import type { EmbeddedFlavor, FixedAddress } from './types';

export interface BuildImage {
  id: string;
  path: string;
  diskFormat: string | null;
  size: number;
}

/** A requested network as the server row keeps it (server-create-plan's ResolvedNet). */
interface StoredNet {
  id: string;
  name: string;
  hostNetwork: string;
  cidr: string;
}

/** Where the instance runs: its zone, and the fixed addresses of its NICs in the order of its networks. */
export interface Placed {
  availabilityZone: string;
  addresses: FixedAddress[];
}

/** The key pair data kept with a server (Nova's instance.keypairs): the name, type and public key. */
export const keyDataOf = (k: KeySpec): string => JSON.stringify({ name: k.name, type: k.type, publicKey: k.publicKey });

/** The server's key pair: the data kept with it, or (rows older than that) its owner's key pair of that name. */
function keysOf(keypairs: ComputeCore['keypairs'], row: ServerRow): KeySpec[] {
  if (row.key_data) return [JSON.parse(row.key_data) as KeySpec];
  const key = row.key_name ? keypairs.find(row.user_id, row.key_name) : null;
  return key ? [{ name: key.name, type: key.type, publicKey: key.publicKey }] : [];
}

/** The spec of the server as its row says now; `adminPass` only for the run that was given it (it is never stored). */
export function instanceSpecOf(core: Pick<ComputeCore, 'keypairs' | 'servers'>, row: ServerRow, image: BuildImage, placed: Placed, adminPass?: string): InstanceSpec {
  const flavor = JSON.parse(row.flavor) as EmbeddedFlavor;
  const nets = JSON.parse(row.networks) as StoredNet[];
  return {
    id: row.id,
    name: row.name,
    hostname: row.hostname ?? hostnameFor(row.name),
    vcpus: flavor.vcpus,
    memoryMb: flavor.ram,
    diskGb: flavor.disk,
    image: { id: image.id, path: image.path, diskFormat: image.diskFormat ?? 'raw', sizeBytes: image.size },
    nics: placed.addresses.map((a, i) => ({ networkId: a.networkId, hostNetwork: nets[i].hostNetwork, mac: a.mac, ip: a.addr })),
    userData: row.user_data ? Buffer.from(row.user_data, 'base64') : undefined,
    keys: keysOf(core.keypairs, row),
    metadata: core.servers.metadata(row.id),
    configDrive: row.config_drive === 'True',
    launchIndex: row.launch_index,
    availabilityZone: placed.availabilityZone,
    ...(adminPass ? { adminPass } : {}),
  };
}
