// /servers/{id}/ips[/{network}]: a server's fixed addresses by network label (no OS-EXT-IPS extras, as Nova).
import type { FastifyInstance } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { DeskError } from '../../../core/errors';
import { authOf } from '../auth';
import { renderAddresses } from './server-view';

export function registerServerAddressRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get<{ Params: { id: string } }>('/servers/:id/ips', async (req) => ({ addresses: renderAddresses(cp.compute.getServer(authOf(req), req.params.id), false) }));
  app.get<{ Params: { id: string; network: string } }>('/servers/:id/ips/:network', async (req) => {
    const addresses = renderAddresses(cp.compute.getServer(authOf(req), req.params.id), false);
    const found = addresses[req.params.network];
    if (!found) throw new DeskError('NotFound', 'Instance is not a member of specified network');
    return { [req.params.network]: found };
  });
}
