import type { FastifyInstance } from 'fastify';
import type { ControlPlane } from '../../control-plane';
import { registerIdentityApi } from './identity/routes';
import { registerComputeApi } from './compute/routes';
import { registerImageApi } from './image/routes';
import { registerNetworkApi } from './network/routes';

/** Each OpenStack service lives under its own path prefix on the one port, as DevStack lays them out. */
export async function registerOpenStackApis(app: FastifyInstance, cp: ControlPlane): Promise<void> {
  await app.register(async (s) => registerIdentityApi(s, cp), { prefix: '/identity' });
  await app.register(async (s) => registerComputeApi(s, cp), { prefix: '/compute' });
  await app.register(async (s) => registerImageApi(s, cp), { prefix: '/image' });
  await app.register(async (s) => registerNetworkApi(s, cp), { prefix: '/network' });
}
