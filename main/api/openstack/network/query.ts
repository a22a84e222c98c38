import { badRequest } from '../../../core/errors';
import type { NetworkListFilters } from '../../../network/network-service';

type Query = Record<string, string | string[] | undefined>;

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

function bool(key: string, v: string | string[] | undefined): boolean | undefined {
  const vals = list(v);
  if (!vals) return undefined;
  const s = vals[vals.length - 1].toLowerCase();
  if (['true', '1', 't', 'yes', 'y', 'on'].includes(s)) return true;
  if (['false', '0', 'f', 'no', 'n', 'off'].includes(s)) return false;
  throw badRequest(`Invalid input for operation: '${s.slice(0, 50)}' cannot be converted to boolean.`, { type: 'InvalidInput', field: key });
}

// Attributes a network list may filter on, plus the paging and projection parameters.
const NETWORK_FILTERS = new Set([
  'id', 'name', 'status', 'shared', 'router:external', 'admin_state_up', 'project_id', 'tenant_id', 'description', 'mtu',
  'provider:network_type', 'provider:physical_network', 'provider:segmentation_id', 'availability_zone_hints',
  'port_security_enabled', 'revision_number', 'is_default', 'ipv4_address_scope', 'ipv6_address_scope',
  'tags', 'tags-any', 'not-tags', 'not-tags-any', 'fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir',
]);

export interface NetworkQuery {
  filters: NetworkListFilters;
  fields?: string[];
  /** Filters on attributes every DeskStack network has one value for (checked against the rendered document). */
  docFilters: Record<string, string[]>;
  /** True when a tag filter can match nothing (DeskStack networks carry no tags yet). */
  none: boolean;
}

/** Parses GET /v2.0/networks query parameters; unknown ones are a 400, as with Neutron's filter validation. */
export function parseNetworkQuery(q: Query): NetworkQuery {
  for (const key of Object.keys(q)) {
    if (!NETWORK_FILTERS.has(key)) throw badRequest(`[${key.slice(0, 100)}] is invalid attribute for filtering`, { type: 'HTTPBadRequest' });
  }
  const limitRaw = list(q.limit)?.at(-1);
  if (limitRaw !== undefined && !/^-?\d{1,9}$/.test(limitRaw)) throw badRequest(`Limit must be an integer 0 or greater and not '${limitRaw.slice(0, 50)}'`);
  const projects = [...(list(q.project_id) ?? []), ...(list(q.tenant_id) ?? [])];
  const filters: NetworkListFilters = {
    id: list(q.id),
    name: list(q.name),
    status: list(q.status),
    projectId: projects.length ? projects : undefined,
    shared: bool('shared', q.shared),
    external: bool('router:external', q['router:external']),
    adminStateUp: bool('admin_state_up', q.admin_state_up),
    limit: limitRaw !== undefined ? Math.max(0, Number(limitRaw)) : undefined,
    marker: list(q.marker)?.at(-1),
    pageReverse: bool('page_reverse', q.page_reverse) ?? false,
  };
  const docFilters: Record<string, string[]> = {};
  for (const key of ['description', 'mtu', 'provider:network_type', 'port_security_enabled', 'revision_number', 'is_default']) {
    const v = list(q[key]);
    if (v) docFilters[key] = v;
  }
  const none = list(q.tags) !== undefined || list(q['tags-any']) !== undefined;
  return { filters, fields: list(q.fields), docFilters, none };
}
