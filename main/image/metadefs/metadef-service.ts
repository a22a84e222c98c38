import type { RequestContext } from '../../core/context';
import type { Db } from '../../core/db';
import { DeskError, forbidden } from '../../core/errors';
import { isoSeconds, nowIso } from '../../core/ids';
import { MetadefAccess } from './metadef-access';
import { MetadefContents } from './metadef-contents';
import { seedCatalog } from './metadef-seed';
import { MetadefStore, type NamespaceRow } from './metadef-store';
import type { NamespaceInput, NamespaceListFilters, NamespacePage, NamespaceView, ResourceTypeAssociationInput, ResourceTypeAssociationView } from './metadef-types';

/** Glance's limit_param_default and api_limit_max, as for images. */
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;

/** A namespace's own columns from a create or update body, with Glance's defaults for what is left out. */
const namespaceFields = (ctx: RequestContext, input: NamespaceInput): Omit<NamespaceRow, 'id' | 'created_at' | 'updated_at'> => ({
  namespace: input.namespace,
  display_name: input.display_name ?? null,
  description: input.description ?? null,
  visibility: input.visibility ?? 'private',
  protected: input.protected ? 1 : 0,
  owner: input.owner ?? ctx.projectId,
});

/**
 * Glance's metadata definitions catalog: namespaces (with their resource type associations) here,
 * their objects, properties and tags in `contents`. Horizon's "Update Metadata" dialogs read it.
 */
export class MetadefService {
  private readonly store: MetadefStore;
  private readonly access: MetadefAccess;
  /** Objects, properties and tags inside a namespace. */
  readonly contents: MetadefContents;

  constructor(db: Db) {
    this.store = new MetadefStore(db);
    this.access = new MetadefAccess(this.store);
    this.contents = new MetadefContents(this.store, this.access);
    seedCatalog(db, this.store);
  }

  /** Visible namespaces, newest first unless sorted otherwise, with marker pagination. */
  list(ctx: RequestContext, f: NamespaceListFilters = {}): NamespacePage {
    const limit = Math.min(f.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
    const where: string[] = [];
    const params: unknown[] = [];
    if (!ctx.isAdmin) {
      where.push("(visibility = 'public' OR owner = ?)");
      params.push(ctx.projectId);
    }
    if (f.visibility) {
      where.push('visibility = ?');
      params.push(f.visibility);
    }
    if (f.resource_types?.length) {
      where.push(`id IN (SELECT a.namespace_id FROM metadef_namespace_resource_types a JOIN metadef_resource_types rt ON rt.id = a.resource_type_id
        WHERE rt.name IN (${f.resource_types.map(() => '?').join(',')}))`);
      params.push(...f.resource_types);
    }
    const key = f.sort_key ?? 'created_at';
    const dir = f.sort_dir ?? 'desc';
    const order = (a: NamespaceRow, b: NamespaceRow) => {
      const c = String(a[key] ?? '').localeCompare(String(b[key] ?? '')) || a.id - b.id;
      return dir === 'asc' ? c : -c;
    };
    let rows = this.store.namespaces(where.length ? `WHERE ${where.join(' AND ')}` : '', params).sort(order);
    if (f.marker !== undefined) {
      const marker = this.access.visible(ctx, f.marker);
      rows = rows.filter((r) => order(r, marker) > 0);
    }
    const page = rows.slice(0, limit);
    const full = page.length > 0 && page.length === limit;
    return { namespaces: page.map((r) => this.store.view(r, false)), ...(full ? { nextMarker: page[page.length - 1].namespace } : {}) };
  }

  /** Creates a namespace with any resource type associations, properties, objects and tags it carries (admin). */
  create(ctx: RequestContext, input: NamespaceInput): NamespaceView {
    this.access.requireAdmin(ctx, 'create metadata definition namespaces');
    const now = nowIso();
    return this.store.transaction(() => {
      const id = this.store.insertNamespace({ ...namespaceFields(ctx, input), created_at: now, updated_at: now });
      for (const a of input.resource_type_associations ?? []) this.store.associate(id, input.namespace, a, now);
      for (const [name, def] of Object.entries(input.properties ?? {})) this.store.putProperty(id, input.namespace, name, def, now);
      for (const o of input.objects ?? []) this.store.putObject(id, input.namespace, o, now);
      for (const t of input.tags ?? []) this.store.putTag(id, input.namespace, t.name, now);
      return this.store.view(this.store.namespace(input.namespace)!, true);
    });
  }

  /**
   * One namespace with its properties, objects and tags. With `resourceType`, property names carry
   * that association's prefix (hw_, hw: …), as Horizon asks for them.
   */
  get(ctx: RequestContext, name: string, resourceType?: string): NamespaceView {
    const view = this.store.view(this.access.visible(ctx, name), true);
    const prefix = resourceType ? view.resource_type_associations?.find((a) => a.name === resourceType)?.prefix : undefined;
    if (!prefix) return view;
    const prefixed = <T>(m: Record<string, T>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [prefix + k, { ...v, name: prefix + k }]));
    if (view.properties) view.properties = prefixed(view.properties);
    for (const o of view.objects ?? []) {
      o.properties = prefixed(o.properties);
      if (o.required) o.required = o.required.map((r) => prefix + r);
    }
    return view;
  }

  /** Replaces a namespace's own fields (it may be renamed); unset optional fields fall back to Glance's defaults. */
  update(ctx: RequestContext, name: string, input: NamespaceInput): NamespaceView {
    const row = this.access.writable(ctx, name, 'update metadata definition namespaces');
    return this.store.transaction(() => {
      this.store.updateNamespace(row.id, { ...namespaceFields(ctx, input), updated_at: nowIso() });
      return this.store.view(this.store.namespace(input.namespace)!, false);
    });
  }

  /** Deletes a namespace and everything in it; 403 while it is protected. */
  delete(ctx: RequestContext, name: string): void {
    const row = this.access.writable(ctx, name, 'delete metadata definition namespaces');
    if (row.protected === 1) throw forbidden(`Namespace ${row.namespace} is protected and cannot be deleted. Set protected to false first.`);
    this.store.deleteNamespace(row.id);
  }

  /** Every resource type known to the catalog. */
  listResourceTypes(ctx: RequestContext): Array<{ name: string; created_at: string; updated_at: string }> {
    void ctx; // every project may read the list of resource types
    return this.store.resourceTypes().map((r) => ({ name: r.name, created_at: isoSeconds(r.created_at), updated_at: isoSeconds(r.updated_at) }));
  }

  listAssociations(ctx: RequestContext, namespace: string): ResourceTypeAssociationView[] {
    return this.store.associations(this.access.visible(ctx, namespace).id);
  }

  /** Associates a resource type with the namespace (creating the resource type on first use); 409 when already associated. */
  associate(ctx: RequestContext, namespace: string, a: ResourceTypeAssociationInput): ResourceTypeAssociationView {
    const row = this.access.writable(ctx, namespace, 'associate resource types with metadata definition namespaces');
    this.store.associate(row.id, row.namespace, a, nowIso());
    return this.store.associations(row.id).find((x) => x.name === a.name)!;
  }

  dissociate(ctx: RequestContext, namespace: string, resourceType: string): void {
    const row = this.access.writable(ctx, namespace, 'remove resource type associations');
    this.access.requireUnprotected(row, `Resource type association ${resourceType.slice(0, 80)}`);
    if (!this.store.dissociate(row.id, resourceType)) {
      const what = `The metadata definition resource-type association of resource-type=${resourceType.slice(0, 80)} to namespace=${row.namespace}, was not found.`;
      throw new DeskError('NotFound', what, { kind: 'metadef_resource_type_association', id: resourceType.slice(0, 80) });
    }
  }
}
