// What Nova's os-networks (before 2.36) shows of the network service: with Neutron behind it, Nova
// fills only id and label; every other field of the nova-network era is null.
import type { RequestContext } from '../core/context';
import { DeskError } from '../core/errors';
import type { NetworkService } from '../network/network-service';

export interface ProxiedNetwork {
  id: string;
  label: string;
}

export function listProxiedNetworks(networks: NetworkService, ctx: RequestContext): ProxiedNetwork[] {
  return networks.list(ctx, {}).networks.map((n) => ({ id: n.id, label: n.name }));
}

export function getProxiedNetwork(networks: NetworkService, ctx: RequestContext, id: string): ProxiedNetwork {
  try {
    const n = networks.get(ctx, id);
    return { id: n.id, label: n.name };
  } catch (e) {
    if (e instanceof DeskError && e.code === 'NotFound') throw new DeskError('NotFound', 'Network not found');
    throw e;
  }
}
