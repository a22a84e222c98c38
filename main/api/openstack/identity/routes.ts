import type { FastifyInstance } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { registerAuthRoutes } from './auth-routes';
import { registerCatalogRoutes } from './catalog-routes';
import { registerCredentialRoutes } from './credential-routes';
import { registerDelegationRoutes } from './delegation-routes';
import { registerDomainRoutes } from './domain-routes';
import { registerEndpointFilterRoutes } from './endpoint-filter-routes';
import { registerGrantRoutes } from './grant-routes';
import { registerGroupRoutes } from './group-routes';
import { registerProjectRoutes } from './project-routes';
import { registerRoleRoutes } from './role-routes';
import { registerUserRoutes } from './user-routes';
import { registerVersionRoutes } from './version-routes';

/** Keystone v3 under /identity (the prefix is applied by the caller's register). */
export async function registerIdentityApi(app: FastifyInstance, cp: ControlPlane): Promise<void> {
  registerVersionRoutes(app, cp);
  registerAuthRoutes(app, cp);
  registerDomainRoutes(app, cp);
  registerProjectRoutes(app, cp);
  registerUserRoutes(app, cp);
  registerGroupRoutes(app, cp);
  registerRoleRoutes(app, cp);
  registerGrantRoutes(app, cp);
  registerCatalogRoutes(app, cp);
  registerEndpointFilterRoutes(app, cp);
  registerCredentialRoutes(app, cp);
  registerDelegationRoutes(app, cp);
}
