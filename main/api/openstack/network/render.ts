import type { RequestContext } from '../../../core/context';
import type { NetworkView } from '../../../network/network-service';

// Provider attributes are admin-only in Neutron's default policy.
const ADMIN_ONLY = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'];

/** The network document Neutron returns, trimmed to `fields` when the client asked for some. */
export function neutronNetwork(v: NetworkView, ctx: RequestContext, fields?: string[]): Record<string, unknown> {
  const { cidr: _cidr, ...doc } = v;
  const out: Record<string, unknown> = { ...doc, 'provider:physical_network': null, 'provider:segmentation_id': null, l2_adjacency: true };
  if (!ctx.isAdmin) for (const k of ADMIN_ONLY) delete out[k];
  if (!fields?.length) return out;
  const picked: Record<string, unknown> = {};
  for (const f of fields) if (f in out) picked[f] = out[f];
  return picked;
}
