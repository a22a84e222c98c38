import type { RequestContext } from '../core/context';
import { DeskError, forbidden } from '../core/errors';
import { newHexId } from '../core/ids';
import { buildCatalog, builtinEndpoints, builtinServices, inGroup, REGION, type CatalogEntry } from './catalog';
import type { CatalogStore } from './catalog-store';
import type { Endpoint, Interface, Region, Service } from './catalog-types';
import { requireAdmin } from './identity-deps';
import { invalidInput, notFoundIn } from './identity-errors';

export interface ServiceInput {
  type: string;
  name?: string;
  description?: string;
  enabled?: boolean;
  extra?: Record<string, unknown>;
}

export interface EndpointInput {
  serviceId: string;
  interface: Interface;
  url: string;
  regionId?: string | null;
  enabled?: boolean;
  extra?: Record<string, unknown>;
}

export interface RegionInput {
  id?: string;
  description?: string;
  parentRegionId?: string | null;
  extra?: Record<string, unknown>;
}

const builtinRefused = (what: string) => forbidden(`${what} is one of DeskStack's own and is built in; it cannot be changed or deleted.`);

function checkUrl(url: string): string {
  if (url.length === 0 || url.length > 2048 || /[\s\u0000-\u001f]/.test(url)) throw invalidInput('url', 'an endpoint URL is 1..2048 characters without spaces or control characters');
  return url;
}

/**
 * Regions, services and endpoints (Keystone's catalog API). DeskStack's own services and endpoints are
 * listed with the URL the client dialled and cannot be edited; created ones join every token's catalog.
 */
export class CatalogManager {
  constructor(
    private readonly store: CatalogStore,
    private readonly changed: () => void,
  ) {}

  /** The catalog of a token scoped to projectId (null: unscoped); OS-EP-FILTER associations narrow it. */
  tokenCatalog(publicUrl: string, projectId: string | null): CatalogEntry[] {
    const endpoints = this.allEndpoints(publicUrl);
    return buildCatalog(this.allServices(), endpoints, projectId, projectId ? this.allowedFor(projectId, endpoints) : null);
  }

  // ---- services ----

  listServices(ctx: RequestContext, f: { type?: string; name?: string } = {}): Service[] {
    requireAdmin(ctx, 'list_services');
    return this.allServices().filter((s) => (f.type === undefined || s.type === f.type) && (f.name === undefined || s.name === f.name));
  }
  getService(ctx: RequestContext, id: string): Service {
    requireAdmin(ctx, 'get_service');
    const s = this.allServices().find((x) => x.id === id);
    if (!s) throw notFoundIn('service', id);
    return s;
  }
  createService(ctx: RequestContext, input: ServiceInput): Service {
    requireAdmin(ctx, 'create_service');
    const s: Service = { id: newHexId(), type: input.type, name: input.name ?? '', description: input.description ?? '', enabled: input.enabled ?? true, extra: input.extra ?? {}, builtin: false };
    this.store.saveService(s, true);
    this.changed();
    return s;
  }
  updateService(ctx: RequestContext, id: string, patch: Partial<ServiceInput>): Service {
    const cur = this.getService(ctx, id);
    if (cur.builtin) throw builtinRefused(`Service ${cur.name}`);
    const next: Service = { ...cur, type: patch.type ?? cur.type, name: patch.name ?? cur.name, description: patch.description ?? cur.description, enabled: patch.enabled ?? cur.enabled, extra: { ...cur.extra, ...patch.extra } };
    this.store.saveService(next, false);
    this.changed();
    return next;
  }
  /** Deleting a service deletes its endpoints, as Keystone does. */
  deleteService(ctx: RequestContext, id: string): void {
    const cur = this.getService(ctx, id);
    if (cur.builtin) throw builtinRefused(`Service ${cur.name}`);
    for (const e of this.store.endpoints().filter((x) => x.serviceId === id)) this.store.deleteEndpoint(e.id);
    this.store.deleteService(id);
    this.changed();
  }

  // ---- endpoints ----

  listEndpoints(ctx: RequestContext, publicUrl: string, f: { serviceId?: string; interface?: string; regionId?: string } = {}): Endpoint[] {
    requireAdmin(ctx, 'list_endpoints');
    return this.allEndpoints(publicUrl).filter(
      (e) => (f.serviceId === undefined || e.serviceId === f.serviceId) && (f.interface === undefined || e.interface === f.interface) && (f.regionId === undefined || e.regionId === f.regionId),
    );
  }
  getEndpoint(ctx: RequestContext, publicUrl: string, id: string): Endpoint {
    requireAdmin(ctx, 'get_endpoint');
    const e = this.allEndpoints(publicUrl).find((x) => x.id === id);
    if (!e) throw notFoundIn('endpoint', id);
    return e;
  }
  /** A region named by a new endpoint is created when missing, as Keystone does. */
  createEndpoint(ctx: RequestContext, input: EndpointInput): Endpoint {
    requireAdmin(ctx, 'create_endpoint');
    const e: Endpoint = {
      id: newHexId(),
      serviceId: this.ownService(input.serviceId),
      interface: input.interface,
      url: checkUrl(input.url),
      regionId: input.regionId ?? null,
      enabled: input.enabled ?? true,
      extra: input.extra ?? {},
      builtin: false,
    };
    this.store.db.transaction(() => {
      this.ensureRegion(e.regionId);
      this.store.saveEndpoint(e, true);
    })();
    this.changed();
    return e;
  }
  updateEndpoint(ctx: RequestContext, publicUrl: string, id: string, patch: Partial<EndpointInput>): Endpoint {
    const cur = this.getEndpoint(ctx, publicUrl, id);
    if (cur.builtin) throw builtinRefused(`Endpoint ${cur.url}`);
    const next: Endpoint = {
      ...cur,
      serviceId: patch.serviceId !== undefined ? this.ownService(patch.serviceId) : cur.serviceId,
      interface: patch.interface ?? cur.interface,
      url: patch.url !== undefined ? checkUrl(patch.url) : cur.url,
      regionId: patch.regionId !== undefined ? patch.regionId : cur.regionId,
      enabled: patch.enabled ?? cur.enabled,
      extra: { ...cur.extra, ...patch.extra },
    };
    this.store.db.transaction(() => {
      this.ensureRegion(next.regionId);
      this.store.saveEndpoint(next, false);
    })();
    this.changed();
    return next;
  }
  deleteEndpoint(ctx: RequestContext, publicUrl: string, id: string): void {
    const cur = this.getEndpoint(ctx, publicUrl, id);
    if (cur.builtin) throw builtinRefused(`Endpoint ${cur.url}`);
    this.store.deleteEndpoint(id);
    this.changed();
  }

  // ---- regions (anyone may read them, as in Keystone) ----

  listRegions(_ctx: RequestContext, f: { parentRegionId?: string } = {}): Region[] {
    return this.store.regions().filter((r) => f.parentRegionId === undefined || r.parentRegionId === f.parentRegionId);
  }
  getRegion(_ctx: RequestContext, id: string): Region {
    const r = this.store.region(id);
    if (!r) throw notFoundIn('region', id);
    return r;
  }
  createRegion(ctx: RequestContext, input: RegionInput): Region {
    requireAdmin(ctx, 'create_region');
    const id = input.id ?? newHexId();
    if (id.length === 0 || id.length > 255) throw invalidInput('id', 'a region id is 1..255 characters long');
    if (this.store.region(id)) throw new DeskError('Conflict', `Conflict occurred attempting to store region - Duplicate ID, ${id}.`);
    const r: Region = { id, description: input.description ?? '', parentRegionId: input.parentRegionId ?? null, extra: input.extra ?? {} };
    this.checkParent(r.id, r.parentRegionId);
    this.store.saveRegion(r, true);
    return r;
  }
  updateRegion(ctx: RequestContext, id: string, patch: Omit<RegionInput, 'id'>): Region {
    requireAdmin(ctx, 'update_region');
    const cur = this.getRegion(ctx, id);
    const next: Region = {
      ...cur,
      description: patch.description ?? cur.description,
      parentRegionId: patch.parentRegionId !== undefined ? patch.parentRegionId : cur.parentRegionId,
      extra: { ...cur.extra, ...patch.extra },
    };
    this.checkParent(id, next.parentRegionId);
    this.store.saveRegion(next, false);
    return next;
  }
  /** Child regions go too; a region (or child) that still has endpoints is refused. */
  deleteRegion(ctx: RequestContext, id: string): void {
    requireAdmin(ctx, 'delete_region');
    this.getRegion(ctx, id);
    const tree = [id, ...this.childRegions(id)];
    const used = new Set([REGION, ...this.store.endpoints().map((e) => e.regionId)]);
    if (tree.some((r) => used.has(r))) throw forbidden(`Unable to delete region ${id} because it or its child regions have associated endpoints.`);
    this.store.db.transaction(() => {
      for (const r of tree.reverse()) this.store.deleteRegion(r);
    })();
  }

  /** DB endpoints and the built-in ones, for the endpoint filter. */
  allEndpoints(publicUrl: string): Endpoint[] {
    return [...builtinEndpoints(publicUrl), ...this.store.endpoints()];
  }
  allServices(): Service[] {
    return [...builtinServices(), ...this.store.services()];
  }

  // OS-EP-FILTER: endpoints associated with the project directly or through endpoint groups; null when none are, which means all.
  private allowedFor(projectId: string, endpoints: Endpoint[]): Set<string> | null {
    const direct = this.store.projectEndpointIds(projectId);
    const groups = this.store.projectGroupIds(projectId).flatMap((g) => this.store.endpointGroup(g) ?? []);
    if (direct.length === 0 && groups.length === 0) return null;
    return new Set([...direct, ...endpoints.filter((e) => groups.some((g) => inGroup(e, g))).map((e) => e.id)]);
  }

  private ownService(id: string): string {
    if (builtinServices().some((s) => s.id === id)) throw builtinRefused(`Service ${id}`);
    if (!this.store.service(id)) throw new DeskError('BadRequest', `Could not find service: ${id}.`);
    return id;
  }

  private ensureRegion(id: string | null): void {
    if (id !== null && !this.store.region(id)) this.store.saveRegion({ id, description: '', parentRegionId: null, extra: {} }, true);
  }

  private checkParent(id: string, parentId: string | null): void {
    if (parentId === null) return;
    if (!this.store.region(parentId)) throw notFoundIn('region', parentId);
    if (parentId === id || this.childRegions(id).includes(parentId)) throw invalidInput('parent_region_id', `region ${parentId} is ${id} or below it; that would make a cycle`);
  }

  private childRegions(id: string): string[] {
    const all = this.store.regions();
    const out: string[] = [];
    const walk = (p: string) => {
      for (const r of all) {
        if (r.parentRegionId !== p || out.includes(r.id)) continue;
        out.push(r.id);
        walk(r.id);
      }
    };
    walk(id);
    return out;
  }
}
