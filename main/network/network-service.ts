import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { DeskError, badRequest, conflict, forbidden } from '../core/errors';
import type { EventBus } from '../core/events';
import { isoSeconds, newUuid, nowIso } from '../core/ids';

/** A network as Neutron v2.0 shows it (field names included), plus the CIDR the record stands for. */
export interface NetworkView {
  id: string;
  name: string;
  description: string;
  status: string;
  admin_state_up: boolean;
  shared: boolean;
  'router:external': boolean;
  mtu: number;
  subnets: string[];
  project_id: string;
  tenant_id: string;
  availability_zones: string[];
  availability_zone_hints: string[];
  port_security_enabled: boolean;
  'provider:network_type': string;
  tags: string[];
  revision_number: number;
  ipv4_address_scope: string | null;
  ipv6_address_scope: string | null;
  is_default: boolean;
  created_at: string;
  updated_at: string;
  /** IPv4 range of the (libvirt NAT) network behind this record; not a Neutron field. */
  cidr: string | null;
}

export interface NetworkCreateFields {
  name: string;
  projectId: string;
  shared?: boolean;
  external?: boolean;
  cidr?: string | null;
  description?: string;
}

export interface NetworkListFilters {
  id?: string[];
  name?: string[];
  status?: string[];
  projectId?: string[];
  shared?: boolean;
  external?: boolean;
  adminStateUp?: boolean;
  limit?: number;
  marker?: string;
  /** Newest-last by default, like Neutron's id-ordered listing. */
  pageReverse?: boolean;
}

export interface NetworkListPage {
  networks: NetworkView[];
  /** Set when a limit was given and the page was full: the marker of the next page. */
  nextMarker?: string;
}

/** What compute needs to attach a server to a network. */
export interface BootNetwork {
  id: string;
  name: string;
  /** The host-side network the record stands for ('default': libvirt's NAT network, for now). */
  hostNetwork: string;
}

interface NetworkRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  status: string;
  admin_state_up: number;
  shared: number;
  external: number;
  mtu: number;
  network_type: string;
  cidr: string | null;
  created_at: string;
  updated_at: string;
}

const CIDR_RE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;

export const networkNotFound = (id: string) =>
  new DeskError('NotFound', `Network ${id.slice(0, 255)} could not be found.`, { kind: 'network', id: id.slice(0, 255), type: 'NetworkNotFound' });

function toView(r: NetworkRow): NetworkView {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    admin_state_up: r.admin_state_up === 1,
    shared: r.shared === 1,
    'router:external': r.external === 1,
    mtu: r.mtu,
    subnets: [],
    project_id: r.project_id,
    tenant_id: r.project_id,
    availability_zones: ['nova'],
    availability_zone_hints: [],
    port_security_enabled: true,
    'provider:network_type': r.network_type,
    tags: [],
    revision_number: 1,
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    is_default: false,
    created_at: isoSeconds(r.created_at),
    updated_at: isoSeconds(r.updated_at),
    cidr: r.cidr,
  };
}

/**
 * Network records with Neutron's visibility rules (own project's, shared and external ones;
 * admin sees all). Subnets, ports and routers are a later addition to this service.
 */
export class NetworkService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  /** Creates a network; ctx null means the control plane itself (seeding). Shared/external need admin. */
  create(ctx: RequestContext | null, fields: NetworkCreateFields): NetworkView {
    if (typeof fields.name !== 'string' || fields.name.length > 255) throw badRequest("Invalid input for name: a string of at most 255 characters.");
    if ((fields.description ?? '').length > 255) throw badRequest('Invalid input for description: at most 255 characters.');
    if (fields.cidr != null && !CIDR_RE.test(fields.cidr)) throw badRequest(`Invalid input for cidr: '${fields.cidr.slice(0, 100)}' is not an IPv4 CIDR such as 192.168.122.0/24.`);
    if (ctx && !ctx.isAdmin) {
      if (fields.projectId !== ctx.projectId) throw forbidden('Only an admin can create a network for another project.');
      if (fields.shared || fields.external) throw forbidden('Only an admin can create a shared or external network.');
    }
    const id = newUuid();
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO networks (id, project_id, name, description, shared, external, cidr, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, fields.projectId, fields.name, fields.description ?? '', fields.shared ? 1 : 0, fields.external ? 1 : 0, fields.cidr ?? null, now, now);
    this.bus.resource('network', id, fields.projectId, 'created');
    return toView(this.row(id)!);
  }

  /** Networks this project may see, filtered; ordered by id like Neutron's default listing. */
  list(ctx: RequestContext, filters: NetworkListFilters = {}): NetworkListPage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!ctx.isAdmin) {
      where.push('(project_id = ? OR shared = 1 OR external = 1)');
      params.push(ctx.projectId);
    }
    const inList = (col: string, vals: string[] | undefined) => {
      if (!vals) return;
      where.push(`${col} IN (${vals.map(() => '?').join(',')})`);
      params.push(...vals);
    };
    inList('id', filters.id);
    inList('name', filters.name);
    inList('status', filters.status);
    inList('project_id', filters.projectId);
    for (const [col, v] of [['shared', filters.shared], ['external', filters.external], ['admin_state_up', filters.adminStateUp]] as const) {
      if (v === undefined) continue;
      where.push(`${col} = ?`);
      params.push(v ? 1 : 0);
    }
    const dir = filters.pageReverse ? 'DESC' : 'ASC';
    if (filters.marker !== undefined) {
      if (!this.row(filters.marker)) throw networkNotFound(filters.marker);
      where.push(filters.pageReverse ? 'id < ?' : 'id > ?');
      params.push(filters.marker);
    }
    const limit = filters.limit !== undefined && filters.limit > 0 ? filters.limit : undefined;
    const sql = `SELECT * FROM networks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${dir}${limit ? ` LIMIT ${limit}` : ''}`;
    let rows = this.db.prepare(sql).all(...params) as NetworkRow[];
    if (filters.pageReverse) rows = rows.reverse();
    const full = limit !== undefined && rows.length === limit;
    const last = filters.pageReverse ? rows[0] : rows[rows.length - 1];
    return { networks: rows.map(toView), ...(full && last ? { nextMarker: last.id } : {}) };
  }

  /** One network; NotFound (type NetworkNotFound) when missing or not visible to ctx. */
  get(ctx: RequestContext, id: string): NetworkView {
    const r = this.row(id);
    if (!r || !this.canSee(ctx, r)) throw networkNotFound(id);
    return toView(r);
  }

  /**
   * Resolves a network id or name for server create: NotFound when nothing visible matches,
   * Conflict when a name matches several networks (pass the id instead).
   */
  resolveForBoot(ctx: RequestContext, idOrName: string): BootNetwork {
    const byId = this.row(idOrName);
    if (byId && this.canSee(ctx, byId)) return { id: byId.id, name: byId.name, hostNetwork: 'default' };
    const named = (this.db.prepare('SELECT * FROM networks WHERE name = ? ORDER BY created_at').all(idOrName) as NetworkRow[]).filter((r) => this.canSee(ctx, r));
    if (named.length === 0) throw networkNotFound(idOrName);
    if (named.length > 1) throw conflict(`Multiple networks are named ${idOrName.slice(0, 255)}; use the network's id instead.`, { type: 'NetworkConflict' });
    return { id: named[0].id, name: named[0].name, hostNetwork: 'default' };
  }

  /** Creates the network unless one with that name already exists (demo and first-start seeding). */
  seedNetwork(spec: { name: string; projectId: string; shared: boolean; cidr: string | null; external?: boolean }): NetworkView {
    const existing = this.db.prepare('SELECT * FROM networks WHERE name = ? ORDER BY created_at LIMIT 1').get(spec.name) as NetworkRow | undefined;
    if (existing) return toView(existing);
    return this.create(null, { name: spec.name, projectId: spec.projectId, shared: spec.shared, external: spec.external, cidr: spec.cidr });
  }

  private row(id: string): NetworkRow | undefined {
    return this.db.prepare('SELECT * FROM networks WHERE id = ?').get(id) as NetworkRow | undefined;
  }

  private canSee(ctx: RequestContext, r: NetworkRow): boolean {
    return ctx.isAdmin || r.project_id === ctx.projectId || r.shared === 1 || r.external === 1;
  }
}
