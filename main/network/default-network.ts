// Until real networking lands, the shared `private` network record stands for each host's libvirt
// NAT network `default` (192.168.122.0/24 on Debian), so fixed IPs DeskStack hands out are the ones
// the hosts' DHCP servers give the guests.
import type { NetworkService, NetworkView } from './network-service';

export const DEFAULT_NETWORK_NAME = 'private';
export const DEFAULT_NETWORK_CIDR = '192.168.122.0/24';

/** Idempotent: creates the shared `private` network owned by the admin project when it is missing. */
export function ensureDefaultNetwork(networks: NetworkService, adminProjectId: string): NetworkView {
  return networks.seedNetwork({ name: DEFAULT_NETWORK_NAME, projectId: adminProjectId, shared: true, cidr: DEFAULT_NETWORK_CIDR });
}
