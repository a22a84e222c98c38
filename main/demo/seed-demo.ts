// The demo rack: three simulated hosts, the m1.* flavors, a CirrOS image and a shared network,
// so a fresh DeskStack can boot servers at once. Safe to run on every start (idempotent).
import type { Config } from '../core/config';
import { DeskError } from '../core/errors';
import type { ComputeService } from '../compute/compute-service';
import type { HostService } from '../hosts/host-service';
import type { IdentityService } from '../identity/identity-service';
import type { ImageService } from '../image/image-service';
import { buildEmptyQcow2 } from '../image/qcow2';
import type { NetworkService } from '../network/network-service';
import { ensureDefaultNetwork } from '../network/default-network';

export interface DemoDeps {
  identity: IdentityService;
  hosts: HostService;
  compute: ComputeService;
  images: ImageService;
  networks: NetworkService;
  config: Config;
}

export const DEMO_HOSTS = ['demo-1', 'demo-2', 'demo-3'];
export const DEMO_IMAGE = 'cirros-0.3.4-x86_64-uec';

export interface DemoSummary {
  hostsAdded: string[];
  imageId: string;
  networkId: string;
}

export async function seedDemo({ identity, hosts, compute, images, networks }: DemoDeps): Promise<DemoSummary> {
  const adminProject = identity.adminIds().projectId;
  if (!adminProject) throw new DeskError('Unavailable', 'The admin project does not exist yet; run identity bootstrap before seeding the demo rack.');

  const hostsAdded: string[] = [];
  for (const name of DEMO_HOSTS) {
    if (hosts.findByName(name)) continue;
    await hosts.addFakeHost({ name, vcpus: 16, memoryMb: 65536, diskGb: 1000, availabilityZone: 'nova' });
    hostsAdded.push(name);
  }
  compute.ensureDefaultFlavors();

  // A structurally valid qcow2 declaring CirrOS's 40 MiB disk; the fake driver never boots it.
  const image = await images.seedImage({
    name: DEMO_IMAGE,
    bytes: buildEmptyQcow2(40 * 1024 * 1024),
    diskFormat: 'qcow2',
    containerFormat: 'bare',
    visibility: 'public',
    ownerProjectId: adminProject,
  });
  const network = ensureDefaultNetwork(networks, adminProject);
  return { hostsAdded, imageId: image.id, networkId: network.id };
}
