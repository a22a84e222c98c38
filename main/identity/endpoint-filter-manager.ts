import type { RequestContext } from '../core/context';
import { newHexId } from '../core/ids';
import { inGroup } from './catalog';
import type { CatalogManager } from './catalog-manager';
import type { CatalogStore } from './catalog-store';
import type { Endpoint, EndpointGroup } from './catalog-types';
import type { IdentityStore } from './identity-store';
import { requireAdmin } from './identity-deps';
import { invalidInput, notFoundIn } from './identity-errors';
import type { Project } from './types';

export interface EndpointGroupInput {
  name: string;
  description?: string;
  filters: Record<string, unknown>;
}

const FILTER_KEYS = ['service_id', 'region_id', 'interface'];

function checkFilters(filters: Record<string, unknown>): EndpointGroup['filters'] {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) {
    if (!FILTER_KEYS.includes(k)) throw invalidInput('filters', `${JSON.stringify(k.slice(0, 40))} is not one of ${FILTER_KEYS.join(', ')}`);
    if (typeof v !== 'string' || v.length === 0 || v.length > 255) throw invalidInput(`filters.${k}`, 'must be a string of 1..255 characters');
    out[k] = v;
  }
  if (Object.keys(out).length === 0) throw invalidInput('filters', 'at least one of service_id, region_id or interface is needed');
  return out;
}

/**
 * OS-EP-FILTER: endpoint groups and the projects they (or single endpoints) are associated with. A project
 * with associations sees only those endpoints in its tokens' catalogs; one without sees them all.
 */
export class EndpointFilterManager {
  constructor(
    private readonly store: CatalogStore,
    private readonly identity: IdentityStore,
    private readonly catalog: CatalogManager,
    private readonly changed: () => void,
  ) {}

  list(ctx: RequestContext): EndpointGroup[] {
    requireAdmin(ctx, 'list_endpoint_groups');
    return this.store.endpointGroups();
  }
  get(ctx: RequestContext, id: string): EndpointGroup {
    requireAdmin(ctx, 'get_endpoint_group');
    const g = this.store.endpointGroup(id);
    if (!g) throw notFoundIn('endpoint group', id);
    return g;
  }
  create(ctx: RequestContext, input: EndpointGroupInput): EndpointGroup {
    requireAdmin(ctx, 'create_endpoint_group');
    const g: EndpointGroup = { id: newHexId(), name: input.name, description: input.description ?? '', filters: checkFilters(input.filters) };
    this.store.saveEndpointGroup(g, true);
    return g;
  }
  update(ctx: RequestContext, id: string, patch: Partial<EndpointGroupInput>): EndpointGroup {
    const cur = this.get(ctx, id);
    const next: EndpointGroup = { ...cur, name: patch.name ?? cur.name, description: patch.description ?? cur.description, filters: patch.filters ? checkFilters(patch.filters) : cur.filters };
    this.store.saveEndpointGroup(next, false);
    this.changed();
    return next;
  }
  delete(ctx: RequestContext, id: string): void {
    this.get(ctx, id);
    this.store.deleteEndpointGroup(id);
    this.changed();
  }

  /** The endpoints a group selects. */
  endpointsOf(ctx: RequestContext, publicUrl: string, id: string): Endpoint[] {
    const g = this.get(ctx, id);
    return this.catalog.allEndpoints(publicUrl).filter((e) => inGroup(e, g));
  }

  /** Associates (on) or dissociates a group with a project; dissociating one that is not associated is a 404. */
  linkGroup(ctx: RequestContext, id: string, projectId: string, on: boolean): void {
    this.get(ctx, id);
    this.project(projectId);
    if (!this.store.linkGroup(id, projectId, on) && !on) throw notFoundIn('endpoint group association', `${id} with project ${projectId}`);
    this.changed();
  }
  groupLinked(ctx: RequestContext, id: string, projectId: string): boolean {
    this.get(ctx, id);
    this.project(projectId);
    return this.store.groupProjectIds(id).includes(projectId);
  }
  projectsOfGroup(ctx: RequestContext, id: string): Project[] {
    this.get(ctx, id);
    return this.store.groupProjectIds(id).flatMap((p) => this.identity.project(p) ?? []);
  }
  groupsOfProject(ctx: RequestContext, projectId: string): EndpointGroup[] {
    requireAdmin(ctx, 'list_endpoint_groups_for_project');
    this.project(projectId);
    return this.store.projectGroupIds(projectId).flatMap((g) => this.store.endpointGroup(g) ?? []);
  }

  /** Associates (on) or dissociates one endpoint with a project. */
  linkEndpoint(ctx: RequestContext, publicUrl: string, endpointId: string, projectId: string, on: boolean): void {
    this.catalog.getEndpoint(ctx, publicUrl, endpointId);
    this.project(projectId);
    if (!this.store.linkEndpoint(endpointId, projectId, on) && !on) throw notFoundIn('endpoint association', `${endpointId} with project ${projectId}`);
    this.changed();
  }
  endpointLinked(ctx: RequestContext, publicUrl: string, endpointId: string, projectId: string): boolean {
    this.catalog.getEndpoint(ctx, publicUrl, endpointId);
    this.project(projectId);
    return this.store.projectEndpointIds(projectId).includes(endpointId);
  }
  endpointsOfProject(ctx: RequestContext, publicUrl: string, projectId: string): Endpoint[] {
    requireAdmin(ctx, 'list_endpoints_for_project');
    this.project(projectId);
    const ids = new Set(this.store.projectEndpointIds(projectId));
    return this.catalog.allEndpoints(publicUrl).filter((e) => ids.has(e.id));
  }
  projectsOfEndpoint(ctx: RequestContext, publicUrl: string, endpointId: string): Project[] {
    this.catalog.getEndpoint(ctx, publicUrl, endpointId);
    return this.store.endpointProjectIds(endpointId).flatMap((p) => this.identity.project(p) ?? []);
  }

  private project(id: string): Project {
    const p = this.identity.project(id);
    if (!p) throw notFoundIn('project', id);
    return p;
  }
}
