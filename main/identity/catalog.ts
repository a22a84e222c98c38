import { createHash } from 'node:crypto';

export interface CatalogEndpoint {
  id: string;
  interface: 'public' | 'internal' | 'admin';
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

/** Keystone v3 service catalog: every service on the one port, under its DevStack-style prefix. */
export function buildCatalog(publicUrl: string): CatalogEntry[] {
  const base = publicUrl.replace(/\/+$/, '');
  return SERVICES.map((s) => ({
    id: stableId('service', s.type),
    type: s.type,
    name: s.name,
    endpoints: INTERFACES.map((i) => ({
      id: stableId('endpoint', s.type, i),
      interface: i,
      region: REGION,
      region_id: REGION,
      url: base + s.path,
    })),
  }));
}
