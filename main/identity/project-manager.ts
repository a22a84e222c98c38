import type { RequestContext } from '../core/context';
import { forbidden } from '../core/errors';
import { newHexId } from '../core/ids';
import { requireAdmin, type IdentityDeps } from './identity-deps';
import { duplicate, notFoundIn, policyDenied } from './identity-errors';
import { checkName, checkTags } from './names';
import type { Project, ProjectInput, ProjectPatch } from './types';

export interface ProjectFilter {
  name?: string;
  domainId?: string;
  enabled?: boolean;
}

/** Projects with Keystone's rules; a non-admin sees only projects they hold a role on. */
export class ProjectManager {
  constructor(private readonly d: IdentityDeps) {}

  list(ctx: RequestContext, f: ProjectFilter = {}): Project[] {
    const all = ctx.isAdmin ? this.d.store.projects() : this.d.store.projectsForUser(ctx.userId);
    return all.filter((p) => (f.name === undefined || p.name === f.name) && (f.domainId === undefined || p.domainId === f.domainId) && (f.enabled === undefined || p.enabled === f.enabled));
  }

  get(ctx: RequestContext, id: string): Project {
    // Existence first: clients look names up by trying them as ids and expect 404, not 403.
    const p = this.d.store.project(id);
    if (!p) throw notFoundIn('project', id);
    if (!ctx.isAdmin && !this.d.store.projectsForUser(ctx.userId).some((x) => x.id === id)) throw policyDenied('get_project');
    return p;
  }

  create(ctx: RequestContext, input: ProjectInput): Project {
    requireAdmin(ctx, 'create_project');
    const name = checkName('project', input.name);
    const domainId = input.domainId ?? 'default';
    if (!this.d.store.domain(domainId)) throw notFoundIn('domain', domainId);
    if (this.d.store.projectByName(domainId, name)) throw duplicate('project', name, domainId);
    const p: Project = {
      id: newHexId(),
      name,
      domainId,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      tags: checkTags(input.tags ?? []),
      extra: input.extra ?? {},
      createdAt: new Date(this.d.now()).toISOString(),
    };
    this.d.store.saveProject(p, true);
    this.d.bus.resource('project', p.id, p.id, 'created');
    return p;
  }

  update(ctx: RequestContext, id: string, patch: ProjectPatch): Project {
    requireAdmin(ctx, 'update_project');
    const cur = this.d.store.project(id);
    if (!cur) throw notFoundIn('project', id);
    const next: Project = {
      ...cur,
      name: patch.name !== undefined ? checkName('project', patch.name) : cur.name,
      description: patch.description ?? cur.description,
      enabled: patch.enabled ?? cur.enabled,
      tags: patch.tags !== undefined ? checkTags(patch.tags) : cur.tags,
      extra: { ...cur.extra, ...patch.extra },
    };
    if (next.name !== cur.name && this.d.store.projectByName(cur.domainId, next.name)) throw duplicate('project', next.name, cur.domainId);
    if (!next.enabled && id === this.d.protectedIds().projectId) throw forbidden(`Project ${cur.name} holds DeskStack's local administrator and cannot be disabled.`);
    this.d.store.saveProject(next, false);
    this.d.changed();
    this.d.bus.resource('project', id, id, 'updated');
    return next;
  }

  delete(ctx: RequestContext, id: string): void {
    requireAdmin(ctx, 'delete_project');
    const cur = this.d.store.project(id);
    if (!cur) throw notFoundIn('project', id);
    if (id === this.d.protectedIds().projectId) throw forbidden(`Project ${cur.name} holds DeskStack's local administrator and cannot be deleted.`);
    this.d.store.deleteProject(id);
    this.d.changed();
    this.d.bus.resource('project', id, id, 'deleted');
  }
}
