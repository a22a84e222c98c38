import type { Endpoint, EndpointGroup, Region, Service } from '../../../identity/catalog-types';

export function serviceView(s: Service, base: string) {
  return { ...s.extra, id: s.id, type: s.type, name: s.name, description: s.description, enabled: s.enabled, links: { self: `${base}/identity/v3/services/${s.id}` } };
}

export function endpointView(e: Endpoint, base: string) {
  return {
    ...e.extra,
    id: e.id,
    service_id: e.serviceId,
    interface: e.interface,
    url: e.url,
    region: e.regionId,
    region_id: e.regionId,
    enabled: e.enabled,
    links: { self: `${base}/identity/v3/endpoints/${e.id}` },
  };
}

export function regionView(r: Region, base: string) {
  return { ...r.extra, id: r.id, description: r.description, parent_region_id: r.parentRegionId, links: { self: `${base}/identity/v3/regions/${r.id}` } };
}

export function endpointGroupView(g: EndpointGroup, base: string) {
  return { id: g.id, name: g.name, description: g.description, filters: g.filters, links: { self: `${base}/identity/v3/OS-EP-FILTER/endpoint_groups/${g.id}` } };
}
