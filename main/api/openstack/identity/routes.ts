import type { FastifyInstance } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { registerAuthRoutes } from './auth-routes';
import { registerProjectRoutes } from './project-routes';
import { registerRoleRoutes } from './role-routes';
import { registerUserRoutes } from './user-routes';
import { registerVersionRoutes } from './version-routes';

/** Keystone v3 under /identity (the prefix is applied by the caller's register). */
export async function registerIdentityApi(app: FastifyInstance, cp: ControlPlane): Promise<void> {
  registerVersionRoutes(app, cp);
  registerAuthRoutes(app, cp);
  registerProjectRoutes(app, cp);
  registerUserRoutes(app, cp);
  registerRoleRoutes(app, cp);
}
