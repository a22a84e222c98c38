// Nova's network proxies for clients below 2.36 (404 from then on, as Nova answers): os-networks
// (list, show) and os-security-groups (list, show; the project's default group only), and the
// groups of one server.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SecurityGroupView } from '../../../compute/security-groups';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';
import { requireBelow } from './microversion';

/** Nova fills only id and label when Neutron stands behind os-networks; the nova-network fields stay null. */
const NETWORK_FIELDS = ['cidr', 'netmask', 'gateway', 'broadcast', 'dns1', 'dns2', 'cidr_v6', 'gateway_v6', 'netmask_v6'];
const ADMIN_NETWORK_FIELDS = [
  'created_at', 'updated_at', 'deleted_at', 'deleted', 'injected', 'bridge', 'vlan', 'vpn_public_address', 'vpn_public_port', 'vpn_private_address',
  'dhcp_start', 'project_id', 'host', 'bridge_interface', 'multi_host', 'priority', 'rxtx_base', 'mtu', 'dhcp_server', 'enable_dhcp', 'share_address',
];

function network(req: FastifyRequest, n: { id: string; label: string }): Record<string, unknown> {
  const fields = [...NETWORK_FIELDS, ...(authOf(req).isAdmin ? ADMIN_NETWORK_FIELDS : [])];
  return { id: n.id, label: n.label, ...Object.fromEntries(fields.map((f) => [f, null])) };
}

function securityGroup(g: SecurityGroupView): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    tenant_id: g.projectId,
    rules: g.rules.map((r) => ({
      id: r.id,
      parent_group_id: g.id,
      ip_protocol: r.ipProtocol,
      from_port: r.fromPort,
      to_port: r.toPort,
      group: {},
      ip_range: { cidr: r.cidr },
    })),
  };
}

export function registerProxyRoutes(app: FastifyInstance, cp: ControlPlane): void {
  type P = { Params: { id: string } };
  app.get('/os-networks', async (req) => {
    requireBelow(req, '2.36');
    return { networks: cp.compute.proxiedNetworks(authOf(req)).map((n) => network(req, n)) };
  });
  app.get<P>('/os-networks/:id', async (req) => {
    requireBelow(req, '2.36');
    return { network: network(req, cp.compute.proxiedNetwork(authOf(req), req.params.id)) };
  });

  app.get('/os-security-groups', async (req) => {
    requireBelow(req, '2.36');
    return { security_groups: cp.compute.securityGroups(authOf(req)).map(securityGroup) };
  });
  app.get<P>('/os-security-groups/:id', async (req) => {
    requireBelow(req, '2.36');
    return { security_group: securityGroup(cp.compute.securityGroup(authOf(req), req.params.id)) };
  });
  // Not a proxy API: Nova keeps it at every microversion.
  app.get<P>('/servers/:id/os-security-groups', async (req) => ({ security_groups: cp.compute.serverSecurityGroups(authOf(req), req.params.id).map(securityGroup) }));
}
