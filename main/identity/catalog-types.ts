// The service catalog's entities (Keystone's catalog API and OS-EP-FILTER).

export type Interface = 'public' | 'internal' | 'admin';

export interface Region {
  id: string;
  description: string;
  parentRegionId: string | null;
  extra: Record<string, unknown>;
}

export interface Service {
  id: string;
  type: string;
  name: string;
  description: string;
  enabled: boolean;
  extra: Record<string, unknown>;
  /** DeskStack's own services (identity, compute, image, network) are built in and read-only. */
  builtin: boolean;
}

export interface Endpoint {
  id: string;
  serviceId: string;
  interface: Interface;
  url: string;
  regionId: string | null;
  enabled: boolean;
  extra: Record<string, unknown>;
  builtin: boolean;
}

/** Filters select endpoints by service_id, region_id and interface; all given ones must match. */
export interface EndpointGroup {
  id: string;
  name: string;
  description: string;
  filters: { service_id?: string; region_id?: string; interface?: string };
}
