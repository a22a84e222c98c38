import type { Db } from '../core/db';
import type { Endpoint, EndpointGroup, Interface, Region, Service } from './catalog-types';
import { parseExtra } from './identity-store';

interface RegionRow {
  id: string;
  description: string;
  parent_region_id: string | null;
  extra: string;
}
interface ServiceRow {
  id: string;
  type: string;
  name: string;
  description: string;
  enabled: number;
  extra: string;
}
interface EndpointRow {
  id: string;
  service_id: string;
  interface: string;
  url: string;
  region_id: string | null;
  enabled: number;
  extra: string;
}
interface GroupRow {
  id: string;
  name: string;
  description: string;
  filters: string;
}

const toRegion = (r: RegionRow): Region => ({ id: r.id, description: r.description, parentRegionId: r.parent_region_id, extra: parseExtra(r.extra) });
const toService = (r: ServiceRow): Service => ({ id: r.id, type: r.type, name: r.name, description: r.description, enabled: r.enabled === 1, extra: parseExtra(r.extra), builtin: false });
const toEndpoint = (r: EndpointRow): Endpoint => ({
  id: r.id,
  serviceId: r.service_id,
  interface: r.interface as Interface,
  url: r.url,
  regionId: r.region_id,
  enabled: r.enabled === 1,
  extra: parseExtra(r.extra),
  builtin: false,
});
const toGroup = (r: GroupRow): EndpointGroup => ({ id: r.id, name: r.name, description: r.description, filters: parseExtra(r.filters) as EndpointGroup['filters'] });

/** Regions, services, endpoints, endpoint groups and the OS-EP-FILTER project associations. */
export class CatalogStore {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = {
      region: db.prepare('SELECT * FROM regions WHERE id = ?'),
      regions: db.prepare('SELECT * FROM regions ORDER BY id'),
      insertRegion: db.prepare('INSERT INTO regions (id, description, parent_region_id, extra) VALUES (@id, @description, @parent_region_id, @extra)'),
      updateRegion: db.prepare('UPDATE regions SET description = @description, parent_region_id = @parent_region_id, extra = @extra WHERE id = @id'),
      deleteRegion: db.prepare('DELETE FROM regions WHERE id = ?'),
      service: db.prepare('SELECT * FROM services WHERE id = ?'),
      services: db.prepare('SELECT * FROM services ORDER BY type, name, id'),
      insertService: db.prepare('INSERT INTO services (id, type, name, description, enabled, extra) VALUES (@id, @type, @name, @description, @enabled, @extra)'),
      updateService: db.prepare('UPDATE services SET type = @type, name = @name, description = @description, enabled = @enabled, extra = @extra WHERE id = @id'),
      deleteService: db.prepare('DELETE FROM services WHERE id = ?'),
      endpoint: db.prepare('SELECT * FROM endpoints WHERE id = ?'),
      endpoints: db.prepare('SELECT * FROM endpoints ORDER BY service_id, interface, id'),
      insertEndpoint: db.prepare(
        'INSERT INTO endpoints (id, service_id, interface, url, region_id, enabled, extra) VALUES (@id, @service_id, @interface, @url, @region_id, @enabled, @extra)',
      ),
      updateEndpoint: db.prepare(
        'UPDATE endpoints SET service_id = @service_id, interface = @interface, url = @url, region_id = @region_id, enabled = @enabled, extra = @extra WHERE id = @id',
      ),
      deleteEndpoint: db.prepare('DELETE FROM endpoints WHERE id = ?'),
      group: db.prepare('SELECT * FROM endpoint_groups WHERE id = ?'),
      groups: db.prepare('SELECT * FROM endpoint_groups ORDER BY name, id'),
      insertGroup: db.prepare('INSERT INTO endpoint_groups (id, name, description, filters) VALUES (@id, @name, @description, @filters)'),
      updateGroup: db.prepare('UPDATE endpoint_groups SET name = @name, description = @description, filters = @filters WHERE id = @id'),
      deleteGroup: db.prepare('DELETE FROM endpoint_groups WHERE id = ?'),
      groupProjects: db.prepare('SELECT project_id FROM project_endpoint_groups WHERE endpoint_group_id = ? ORDER BY project_id'),
      projectGroups: db.prepare('SELECT endpoint_group_id FROM project_endpoint_groups WHERE project_id = ? ORDER BY endpoint_group_id'),
      addGroupProject: db.prepare('INSERT OR IGNORE INTO project_endpoint_groups (endpoint_group_id, project_id) VALUES (?, ?)'),
      dropGroupProject: db.prepare('DELETE FROM project_endpoint_groups WHERE endpoint_group_id = ? AND project_id = ?'),
      endpointProjects: db.prepare('SELECT project_id FROM project_endpoints WHERE endpoint_id = ? ORDER BY project_id'),
      projectEndpoints: db.prepare('SELECT endpoint_id FROM project_endpoints WHERE project_id = ? ORDER BY endpoint_id'),
      addProjectEndpoint: db.prepare('INSERT OR IGNORE INTO project_endpoints (endpoint_id, project_id) VALUES (?, ?)'),
      dropProjectEndpoint: db.prepare('DELETE FROM project_endpoints WHERE endpoint_id = ? AND project_id = ?'),
      dropEndpointLinks: db.prepare('DELETE FROM project_endpoints WHERE endpoint_id = ?'),
    };
  }

  region(id: string): Region | null {
    const r = this.s.region.get(id) as RegionRow | undefined;
    return r ? toRegion(r) : null;
  }
  regions(): Region[] {
    return (this.s.regions.all() as RegionRow[]).map(toRegion);
  }
  saveRegion(r: Region, insert: boolean): void {
    const row = { id: r.id, description: r.description, parent_region_id: r.parentRegionId, extra: JSON.stringify(r.extra) };
    if (insert) this.s.insertRegion.run(row);
    else this.s.updateRegion.run(row);
  }
  deleteRegion(id: string): void {
    this.s.deleteRegion.run(id);
  }

  service(id: string): Service | null {
    const r = this.s.service.get(id) as ServiceRow | undefined;
    return r ? toService(r) : null;
  }
  services(): Service[] {
    return (this.s.services.all() as ServiceRow[]).map(toService);
  }
  saveService(v: Service, insert: boolean): void {
    const row = { id: v.id, type: v.type, name: v.name, description: v.description, enabled: v.enabled ? 1 : 0, extra: JSON.stringify(v.extra) };
    if (insert) this.s.insertService.run(row);
    else this.s.updateService.run(row);
  }
  deleteService(id: string): void {
    this.s.deleteService.run(id);
  }

  endpoint(id: string): Endpoint | null {
    const r = this.s.endpoint.get(id) as EndpointRow | undefined;
    return r ? toEndpoint(r) : null;
  }
  endpoints(): Endpoint[] {
    return (this.s.endpoints.all() as EndpointRow[]).map(toEndpoint);
  }
  saveEndpoint(e: Endpoint, insert: boolean): void {
    const row = { id: e.id, service_id: e.serviceId, interface: e.interface, url: e.url, region_id: e.regionId, enabled: e.enabled ? 1 : 0, extra: JSON.stringify(e.extra) };
    if (insert) this.s.insertEndpoint.run(row);
    else this.s.updateEndpoint.run(row);
  }
  deleteEndpoint(id: string): void {
    this.s.deleteEndpoint.run(id);
    this.s.dropEndpointLinks.run(id);
  }

  endpointGroup(id: string): EndpointGroup | null {
    const r = this.s.group.get(id) as GroupRow | undefined;
    return r ? toGroup(r) : null;
  }
  endpointGroups(): EndpointGroup[] {
    return (this.s.groups.all() as GroupRow[]).map(toGroup);
  }
  saveEndpointGroup(g: EndpointGroup, insert: boolean): void {
    const row = { id: g.id, name: g.name, description: g.description, filters: JSON.stringify(g.filters) };
    if (insert) this.s.insertGroup.run(row);
    else this.s.updateGroup.run(row);
  }
  deleteEndpointGroup(id: string): void {
    this.s.deleteGroup.run(id);
  }

  groupProjectIds(groupId: string): string[] {
    return (this.s.groupProjects.all(groupId) as Array<{ project_id: string }>).map((r) => r.project_id);
  }
  projectGroupIds(projectId: string): string[] {
    return (this.s.projectGroups.all(projectId) as Array<{ endpoint_group_id: string }>).map((r) => r.endpoint_group_id);
  }
  linkGroup(groupId: string, projectId: string, on: boolean): boolean {
    return (on ? this.s.addGroupProject.run(groupId, projectId) : this.s.dropGroupProject.run(groupId, projectId)).changes > 0;
  }
  endpointProjectIds(endpointId: string): string[] {
    return (this.s.endpointProjects.all(endpointId) as Array<{ project_id: string }>).map((r) => r.project_id);
  }
  projectEndpointIds(projectId: string): string[] {
    return (this.s.projectEndpoints.all(projectId) as Array<{ endpoint_id: string }>).map((r) => r.endpoint_id);
  }
  linkEndpoint(endpointId: string, projectId: string, on: boolean): boolean {
    return (on ? this.s.addProjectEndpoint.run(endpointId, projectId) : this.s.dropProjectEndpoint.run(endpointId, projectId)).changes > 0;
  }
}
