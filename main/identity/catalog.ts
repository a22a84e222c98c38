import { createHash } from 'node:crypto';
import type { Endpoint, EndpointGroup, Interface, Service } from './catalog-types';

export interface CatalogEndpoint {
  id: string;
  interface: Interface;
  region: string;
  region_id: string;
  url: string;
}

export interface CatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: CatalogEndpoint[];
}

export const REGION = 'RegionOne';

const SERVICES = [
  { type: 'identity', name: 'keystone', path: '/identity' },
  { type: 'compute', name: 'nova', path: '/compute/v2.1' },
  { type: 'image', name: 'glance', path: '/image' },
  { type: 'network', name: 'neutron', path: '/network' },
] as const;

const INTERFACES = ['public', 'internal', 'admin'] as const;

// Ids stay the same across restarts and URLs, as Keystone's stored endpoint ids do.
const stableId = (...parts: string[]): string => createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 32);

/** DeskStack's own services: every one on the one port, under its DevStack-style prefix. */
export function builtinServices(): Service[] {
  return SERVICES.map((s) => ({ id: stableId('service', s.type), type: s.type, name: s.name, description: '', enabled: true, extra: {}, builtin: true }));
}

/** DeskStack's own endpoints, with URLs on the base the client dialled. */
export function builtinEndpoints(publicUrl: string): Endpoint[] {
  const base = publicUrl.replace(/\/+$/, '');
  return SERVICES.flatMap((s) =>
    INTERFACES.map((i) => ({
      id: stableId('endpoint', s.type, i),
      serviceId: stableId('service', s.type),
      interface: i,
      url: base + s.path,
      regionId: REGION,
      enabled: true,
      extra: {},
      builtin: true,
    })),
  );
}

/** True when the endpoint matches every filter of the group. */
export const inGroup = (e: Endpoint, g: EndpointGroup): boolean =>
  (g.filters.service_id === undefined || g.filters.service_id === e.serviceId) &&
  (g.filters.region_id === undefined || g.filters.region_id === e.regionId) &&
  (g.filters.interface === undefined || g.filters.interface === e.interface);

// Keystone substitutes the token's project into templated endpoint URLs (…/v1/AUTH_$(project_id)s).
const TEMPLATE = /[$%]\((tenant_id|project_id)\)s/g;
const TEMPLATED = /[$%]\((tenant_id|project_id)\)s/;

/**
 * Keystone v3 catalog of a token: enabled services with their enabled endpoints. An endpoint whose URL
 * needs a project is left out of a token without one; `allowed` (OS-EP-FILTER) narrows the endpoints.
 */
export function buildCatalog(services: Service[], endpoints: Endpoint[], projectId: string | null, allowed: Set<string> | null = null): CatalogEntry[] {
  return services
    .filter((s) => s.enabled)
    .map((s) => ({
      id: s.id,
      type: s.type,
      name: s.name,
      endpoints: endpoints
        .filter((e) => e.serviceId === s.id && e.enabled && (allowed === null || allowed.has(e.id)))
        .filter((e) => projectId !== null || !TEMPLATED.test(e.url))
        .map((e) => ({ id: e.id, interface: e.interface, region: e.regionId ?? '', region_id: e.regionId ?? '', url: projectId ? e.url.replace(TEMPLATE, projectId) : e.url })),
    }))
    .filter((s) => s.endpoints.length > 0);
}
