import type { RequestContext } from '../../core/context';
import { DeskError } from '../../core/errors';
import { nowIso } from '../../core/ids';
import type { MetadefAccess } from './metadef-access';
import type { MetadefStore } from './metadef-store';
import type { MetadefObjectInput, MetadefObjectView, MetadefTagView, PropertyDefinition, PropertyView } from './metadef-types';

const missing = (kind: string, what: string, name: string, namespace: string) =>
  new DeskError('NotFound', `A metadata definition ${what} with name=${name.slice(0, 255)} was not found in namespace=${namespace}.`, { kind, id: name.slice(0, 255) });

export interface TagListOptions {
  limit?: number;
  marker?: string;
  sort_key?: 'name' | 'created_at' | 'updated_at';
  sort_dir?: 'asc' | 'desc';
}

/** The objects, property definitions and tags inside a metadef namespace (reads: visible; writes: admin). */
export class MetadefContents {
  constructor(
    private readonly store: MetadefStore,
    private readonly access: MetadefAccess,
  ) {}

  // Objects

  listObjects(ctx: RequestContext, namespace: string): MetadefObjectView[] {
    const ns = this.access.visible(ctx, namespace);
    return this.store.objects(ns.id, ns.namespace);
  }

  createObject(ctx: RequestContext, namespace: string, o: MetadefObjectInput): MetadefObjectView {
    const ns = this.access.writable(ctx, namespace, 'create metadata definition objects');
    this.store.putObject(ns.id, ns.namespace, o, nowIso());
    return this.store.object(ns.id, ns.namespace, o.name)!;
  }

  getObject(ctx: RequestContext, namespace: string, name: string): MetadefObjectView {
    const ns = this.access.visible(ctx, namespace);
    const o = this.store.object(ns.id, ns.namespace, name);
    if (!o) throw missing('metadef_object', 'object', name, ns.namespace);
    return o;
  }

  /** Replaces an object (it may be renamed). */
  updateObject(ctx: RequestContext, namespace: string, name: string, o: MetadefObjectInput): MetadefObjectView {
    const ns = this.access.writable(ctx, namespace, 'update metadata definition objects');
    if (!this.store.object(ns.id, ns.namespace, name)) throw missing('metadef_object', 'object', name, ns.namespace);
    this.store.putObject(ns.id, ns.namespace, o, nowIso(), name);
    return this.store.object(ns.id, ns.namespace, o.name)!;
  }

  deleteObject(ctx: RequestContext, namespace: string, name: string): void {
    const ns = this.access.writable(ctx, namespace, 'delete metadata definition objects');
    this.access.requireUnprotected(ns, `Object ${name.slice(0, 80)}`);
    if (!this.store.deleteObject(ns.id, name)) throw missing('metadef_object', 'object', name, ns.namespace);
  }

  // Property definitions

  listProperties(ctx: RequestContext, namespace: string): Record<string, PropertyView> {
    return this.store.properties(this.access.visible(ctx, namespace).id);
  }

  createProperty(ctx: RequestContext, namespace: string, name: string, def: PropertyDefinition): PropertyView {
    const ns = this.access.writable(ctx, namespace, 'create metadata definition properties');
    this.store.putProperty(ns.id, ns.namespace, name, def, nowIso());
    return this.store.property(ns.id, name)!;
  }

  getProperty(ctx: RequestContext, namespace: string, name: string): PropertyView {
    const ns = this.access.visible(ctx, namespace);
    const p = this.store.property(ns.id, name);
    if (!p) throw missing('metadef_property', 'property', name, ns.namespace);
    return p;
  }

  /** Replaces a property definition (it may be renamed to `newName`). */
  updateProperty(ctx: RequestContext, namespace: string, name: string, newName: string, def: PropertyDefinition): PropertyView {
    const ns = this.access.writable(ctx, namespace, 'update metadata definition properties');
    if (!this.store.property(ns.id, name)) throw missing('metadef_property', 'property', name, ns.namespace);
    this.store.putProperty(ns.id, ns.namespace, newName, def, nowIso(), name);
    return this.store.property(ns.id, newName)!;
  }

  deleteProperty(ctx: RequestContext, namespace: string, name: string): void {
    const ns = this.access.writable(ctx, namespace, 'delete metadata definition properties');
    this.access.requireUnprotected(ns, `Property ${name.slice(0, 80)}`);
    if (!this.store.deleteProperty(ns.id, name)) throw missing('metadef_property', 'property', name, ns.namespace);
  }

  // Tags

  listTags(ctx: RequestContext, namespace: string, opts: TagListOptions = {}): MetadefTagView[] {
    const ns = this.access.visible(ctx, namespace);
    let tags = this.store.tags(ns.id, { key: opts.sort_key ?? 'created_at', dir: opts.sort_dir ?? 'asc' });
    if (opts.marker !== undefined) {
      const at = tags.findIndex((t) => t.name === opts.marker);
      if (at < 0) throw missing('metadef_tag', 'tag', opts.marker, ns.namespace);
      tags = tags.slice(at + 1);
    }
    return opts.limit === undefined ? tags : tags.slice(0, opts.limit);
  }

  /** Replaces the namespace's tags with `names`, or adds them when `append` (X-Openstack-Append). */
  createTags(ctx: RequestContext, namespace: string, names: string[], append: boolean): MetadefTagView[] {
    const ns = this.access.writable(ctx, namespace, 'create metadata definition tags');
    const now = nowIso();
    return this.store.transaction(() => {
      if (!append) this.store.clear('metadef_tags', ns.id);
      for (const name of names) this.store.putTag(ns.id, ns.namespace, name, now);
      return names.map((n) => this.store.tag(ns.id, n)!);
    });
  }

  createTag(ctx: RequestContext, namespace: string, name: string): MetadefTagView {
    const ns = this.access.writable(ctx, namespace, 'create metadata definition tags');
    this.store.putTag(ns.id, ns.namespace, name, nowIso());
    return this.store.tag(ns.id, name)!;
  }

  getTag(ctx: RequestContext, namespace: string, name: string): MetadefTagView {
    const ns = this.access.visible(ctx, namespace);
    const t = this.store.tag(ns.id, name);
    if (!t) throw missing('metadef_tag', 'tag', name, ns.namespace);
    return t;
  }

  renameTag(ctx: RequestContext, namespace: string, name: string, newName: string): MetadefTagView {
    const ns = this.access.writable(ctx, namespace, 'update metadata definition tags');
    if (!this.store.tag(ns.id, name)) throw missing('metadef_tag', 'tag', name, ns.namespace);
    this.store.putTag(ns.id, ns.namespace, newName, nowIso(), name);
    return this.store.tag(ns.id, newName)!;
  }

  deleteTag(ctx: RequestContext, namespace: string, name: string): void {
    const ns = this.access.writable(ctx, namespace, 'delete metadata definition tags');
    this.access.requireUnprotected(ns, `Tag ${name.slice(0, 80)}`);
    if (!this.store.deleteTag(ns.id, name)) throw missing('metadef_tag', 'tag', name, ns.namespace);
  }

  /** DELETE /namespaces/{ns}/objects|properties|tags: empties that part of the namespace. */
  clear(ctx: RequestContext, namespace: string, part: 'objects' | 'properties' | 'tags'): void {
    const ns = this.access.writable(ctx, namespace, `delete metadata definition ${part}`);
    this.access.requireUnprotected(ns, `The ${part}`);
    this.store.clear(part === 'objects' ? 'metadef_objects' : part === 'properties' ? 'metadef_properties' : 'metadef_tags', ns.id);
  }
}
