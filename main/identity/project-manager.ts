import type { RequestContext } from '../core/context';
import { DeskError, forbidden } from '../core/errors';
import { newHexId } from '../core/ids';
import type { DomainManager } from './domain-manager';
import { ancestorsOf, descendantsOf } from './effective-roles';
import type { GrantManager } from './grant-manager';
import { requireAdmin, type IdentityDeps } from './identity-deps';
import { duplicate, invalidInput, notFoundIn, policyDenied } from './identity-errors';
import { checkName, checkTags } from './names';
import type { Domain, Project, ProjectInput, ProjectPatch } from './types';

export interface ProjectFilter {
  name?: string;
  domainId?: string;
  enabled?: boolean;
  parentId?: string;
  /** True lists the projects acting as domains (the domains themselves); otherwise they are left out. */
  isDomain?: boolean;
  /** Keystone's tag filters: all of / any of / not all of / none of. */
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
}

// Keystone's default max_project_tree_depth.
const MAX_DEPTH = 5;

/** A domain seen through the projects API (Keystone stores domains as projects acting as domains). */
export const domainAsProject = (d: Domain): Project => ({
  id: d.id,
  name: d.name,
  domainId: '',
  parentId: null,
  description: d.description,
  enabled: d.enabled,
  tags: d.tags,
  extra: d.extra,
  createdAt: '',
  isDomain: true,
});

/** Projects with Keystone's rules: a tree under each domain, tags, and a domain seen as a project (is_domain). */
export class ProjectManager {
  constructor(
    private readonly d: IdentityDeps,
    private readonly domains: DomainManager,
    private readonly grants: GrantManager,
  ) {}

  /** GET /v3/projects is for admins; users list theirs through /v3/auth/projects or /v3/users/{id}/projects. */
  list(ctx: RequestContext, f: ProjectFilter = {}): Project[] {
    requireAdmin(ctx, 'list_projects');
    const all = f.isDomain ? this.d.store.domains().map(domainAsProject) : this.d.store.projects();
    return all.filter((p) => matches(p, f));
  }

  get(ctx: RequestContext, id: string): Project {
    // Existence first: clients look names up by trying them as ids and expect 404, not 403.
    const p = this.d.store.project(id);
    if (!p) {
      const dom = this.d.store.domain(id);
      if (dom && ctx.isAdmin) return domainAsProject(dom);
      throw notFoundIn('project', id);
    }
    if (!ctx.isAdmin && !this.grants.projectIdsOf(ctx.userId).includes(id)) throw policyDenied('get_project');
    return p;
  }

  create(ctx: RequestContext, input: ProjectInput & { isDomain?: boolean }): Project {
    requireAdmin(ctx, 'create_project');
    if (input.isDomain) {
      if (input.parentId) throw invalidInput('parent_id', 'a project acting as a domain has no parent');
      return domainAsProject(this.domains.create(ctx, { name: input.name, description: input.description, enabled: input.enabled, tags: input.tags, extra: input.extra }));
    }
    const name = checkName('project', input.name);
    const { domainId, parent } = this.placement(input);
    if (this.d.store.projectByName(domainId, name)) throw duplicate('project', name, domainId);
    if (parent) {
      if (ancestorsOf(this.d.store, parent).length + 2 > MAX_DEPTH) throw forbidden(`Max hierarchy depth reached for the subtree of project ${parent.id}.`);
      if (!parent.enabled && (input.enabled ?? true)) throw forbidden(`Cannot create an enabled project below the disabled project ${parent.id}.`);
    }
    const p: Project = {
      id: newHexId(),
      name,
      domainId,
      parentId: parent?.id ?? null,
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
    if (!cur) {
      if (this.d.store.domain(id)) return domainAsProject(this.domains.update(ctx, id, patch));
      throw notFoundIn('project', id);
    }
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
    if (!next.enabled && cur.enabled && descendantsOf(this.d.store, id).some((c) => c.enabled))
      throw forbidden(`Cannot disable project ${id} since its subtree contains enabled projects.`);
    if (next.enabled && !cur.enabled && ancestorsOf(this.d.store, cur).some((a) => !a.enabled))
      throw forbidden(`Cannot enable project ${id} since it has disabled parents.`);
    this.d.store.saveProject(next, false);
    this.d.changed();
    this.d.bus.resource('project', id, id, 'updated');
    return next;
  }

  /** A project with children is refused (Keystone's rule); a domain seen as a project is deleted as a domain. */
  delete(ctx: RequestContext, id: string): void {
    requireAdmin(ctx, 'delete_project');
    const cur = this.d.store.project(id);
    if (!cur) {
      if (this.d.store.domain(id)) return this.domains.delete(ctx, id);
      throw notFoundIn('project', id);
    }
    if (id === this.d.protectedIds().projectId) throw forbidden(`Project ${cur.name} holds DeskStack's local administrator and cannot be deleted.`);
    if (this.d.store.children(id).length > 0) throw forbidden(`Cannot delete project ${id}: it has child projects; delete them first.`);
    this.d.store.deleteProject(id);
    this.d.changed();
    this.d.bus.resource('project', id, id, 'deleted');
  }

  /** The project's ancestors, nearest first, that the caller may see. */
  parents(ctx: RequestContext, id: string): Project[] {
    return ancestorsOf(this.d.store, this.get(ctx, id)).filter((p) => this.visible(ctx, p.id));
  }

  /** The projects below this one, depth first, that the caller may see. */
  subtree(ctx: RequestContext, id: string): Project[] {
    this.get(ctx, id);
    return descendantsOf(this.d.store, id).filter((p) => this.visible(ctx, p.id));
  }

  /** Tags (PUT/GET/DELETE /v3/projects/{id}/tags[/{tag}]). */
  tags(ctx: RequestContext, id: string): string[] {
    return this.get(ctx, id).tags;
  }
  setTags(ctx: RequestContext, id: string, tags: string[]): string[] {
    return this.update(ctx, id, { tags }).tags;
  }
  addTag(ctx: RequestContext, id: string, tag: string): string[] {
    const cur = this.get(ctx, id).tags;
    return cur.includes(tag) ? cur : this.setTags(ctx, id, [...cur, tag]);
  }
  removeTag(ctx: RequestContext, id: string, tag: string): void {
    const cur = this.get(ctx, id).tags;
    if (!cur.includes(tag)) throw notFoundIn('tag', tag);
    this.setTags(ctx, id, cur.filter((t) => t !== tag));
  }

  private visible(ctx: RequestContext, id: string): boolean {
    return ctx.isAdmin || this.grants.projectIdsOf(ctx.userId).includes(id);
  }

  /** Where a new project goes: a parent project or domain id; the domain must agree with the parent's. Unknown ids are 400s, as in Keystone. */
  private placement(input: ProjectInput): { domainId: string; parent: Project | null } {
    const parentId = input.parentId ?? null;
    if (parentId !== null && parentId === (input.domainId ?? parentId) && this.d.store.domain(parentId)) return { domainId: parentId, parent: null };
    const parent = parentId !== null ? this.d.store.project(parentId) : null;
    if (parentId !== null && !parent) throw new DeskError('BadRequest', `Could not find project: ${parentId}.`);
    const domainId = input.domainId ?? parent?.domainId ?? 'default';
    if (!this.d.store.domain(domainId)) throw new DeskError('BadRequest', `Could not find domain: ${domainId}.`);
    if (parent && parent.domainId !== domainId) throw invalidInput('parent_id', `the parent project ${parent.id} is in domain ${parent.domainId}, not ${domainId}`);
    return { domainId, parent };
  }
}

function matches(p: Project, f: ProjectFilter): boolean {
  const has = (t: string) => p.tags.includes(t);
  return (
    (f.name === undefined || p.name === f.name) &&
    (f.domainId === undefined || p.domainId === f.domainId) &&
    (f.enabled === undefined || p.enabled === f.enabled) &&
    (f.parentId === undefined || (p.parentId ?? p.domainId) === f.parentId) &&
    (f.tags === undefined || f.tags.every(has)) &&
    (f.tagsAny === undefined || f.tagsAny.some(has)) &&
    (f.notTags === undefined || !f.notTags.every(has)) &&
    (f.notTagsAny === undefined || !f.notTagsAny.some(has))
  );
}
