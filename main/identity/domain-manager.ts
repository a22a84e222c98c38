import type { RequestContext } from '../core/context';
import { forbidden } from '../core/errors';
import { newHexId } from '../core/ids';
import { requireAdmin, type IdentityDeps } from './identity-deps';
import { duplicate, notFoundIn, policyDenied } from './identity-errors';
import { descendantsOf } from './effective-roles';
import { checkName, checkTags } from './names';
import type { Domain } from './types';

export interface DomainInput {
  name: string;
  description?: string;
  enabled?: boolean;
  tags?: string[];
  extra?: Record<string, unknown>;
}

export const DEFAULT_DOMAIN = 'default';

/** Domains: containers of projects, users, groups and domain roles. A domain is disabled before it is deleted, and takes its contents along. */
export class DomainManager {
  constructor(private readonly d: IdentityDeps) {}

  list(ctx: RequestContext, f: { name?: string; enabled?: boolean } = {}): Domain[] {
    requireAdmin(ctx, 'list_domains');
    return this.d.store.domains().filter((x) => (f.name === undefined || x.name === f.name) && (f.enabled === undefined || x.enabled === f.enabled));
  }

  /** An admin reads any domain; a user reads their own and that of the project they work in. */
  get(ctx: RequestContext, id: string): Domain {
    const dom = this.d.store.domain(id);
    if (!dom) throw notFoundIn('domain', id);
    if (!ctx.isAdmin && ctx.domainId !== id && this.d.store.project(ctx.projectId)?.domainId !== id) throw policyDenied('get_domain');
    return dom;
  }

  create(ctx: RequestContext, input: DomainInput): Domain {
    requireAdmin(ctx, 'create_domain');
    const name = checkName('domain', input.name);
    if (this.d.store.domainByName(name)) throw duplicate('domain', name);
    const dom: Domain = { id: newHexId(), name, description: input.description ?? '', enabled: input.enabled ?? true, tags: checkTags(input.tags ?? []), extra: input.extra ?? {} };
    this.d.store.saveDomain(dom, true);
    this.d.bus.resource('domain', dom.id, null, 'created');
    return dom;
  }

  /** Disabling a domain ends every token of its users and projects (they are checked at use). */
  update(ctx: RequestContext, id: string, patch: Partial<DomainInput>): Domain {
    requireAdmin(ctx, 'update_domain');
    const cur = this.get(ctx, id);
    const name = patch.name !== undefined ? checkName('domain', patch.name) : cur.name;
    if (name !== cur.name && this.d.store.domainByName(name)) throw duplicate('domain', name);
    const next: Domain = {
      ...cur,
      name,
      description: patch.description ?? cur.description,
      enabled: patch.enabled ?? cur.enabled,
      tags: patch.tags !== undefined ? checkTags(patch.tags) : cur.tags,
      extra: { ...cur.extra, ...patch.extra },
    };
    if (!next.enabled && id === DEFAULT_DOMAIN) throw forbidden("The Default domain holds DeskStack's local administrator and cannot be disabled.");
    this.d.store.saveDomain(next, false);
    this.d.changed();
    this.d.bus.resource('domain', id, null, 'updated');
    return next;
  }

  /** Deletes a disabled domain with its projects (leaves first), users, groups and domain roles, in one transaction. */
  delete(ctx: RequestContext, id: string): void {
    requireAdmin(ctx, 'delete_domain');
    const dom = this.get(ctx, id);
    if (id === DEFAULT_DOMAIN) throw forbidden("The Default domain holds DeskStack's local administrator and cannot be deleted.");
    if (dom.enabled) throw forbidden(`Cannot delete a domain that is enabled, please disable it first.`);
    const s = this.d.store;
    s.db.transaction(() => {
      const roots = s.projectsInDomain(id).filter((p) => !p.parentId || s.project(p.parentId)?.domainId !== id);
      for (const root of roots) for (const p of [root, ...descendantsOf(s, root.id)].reverse()) s.deleteProject(p.id);
      for (const u of s.userIdsInDomain(id)) s.deleteUser(u);
      for (const g of this.d.groups.groupIdsInDomain(id)) this.d.groups.remove(g);
      for (const r of s.roles().filter((x) => x.domainId === id)) s.deleteRole(r.id);
      s.deleteDomain(id);
    })();
    this.d.changed();
    this.d.bus.resource('domain', id, null, 'deleted');
  }
}
