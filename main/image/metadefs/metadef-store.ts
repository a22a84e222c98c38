import { inTransaction, type Db } from '../../core/db';
import { conflict } from '../../core/errors';
import { isoSeconds } from '../../core/ids';
import type {
  MetadefObjectInput,
  MetadefObjectView,
  MetadefTagView,
  MetadefVisibility,
  NamespaceView,
  PropertyDefinition,
  PropertyView,
  ResourceTypeAssociationInput,
  ResourceTypeAssociationView,
} from './metadef-types';

// The metadef tables (migration 0018) and their Glance renderings; no policy here.

export interface NamespaceRow {
  id: number;
  namespace: string;
  display_name: string | null;
  description: string | null;
  visibility: MetadefVisibility;
  protected: number;
  owner: string;
  created_at: string;
  updated_at: string;
}

interface ObjectRow {
  id: number;
  name: string;
  description: string | null;
  required: string;
  properties: string;
  created_at: string;
  updated_at: string;
}

interface NamedRow {
  name: string;
  created_at: string;
  updated_at: string;
}

interface PropertyRow extends NamedRow {
  definition: string;
}

interface AssociationRow extends NamedRow {
  prefix: string | null;
  properties_target: string | null;
}

const enc = encodeURIComponent;
export const namespaceHref = (ns: string) => `/v2/metadefs/namespaces/${enc(ns)}`;

/** Drops the keys whose value is null or undefined, as Glance leaves unset fields out. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

const propertyView = (name: string, definitionJson: string): PropertyView => ({ name, ...(JSON.parse(definitionJson) as PropertyDefinition) });
const propertyMap = (defs: Record<string, PropertyDefinition>): Record<string, PropertyView> =>
  Object.fromEntries(Object.entries(defs).map(([name, d]) => [name, { name, ...d }]));

export class MetadefStore {
  constructor(private readonly db: Db) {}

  /** Runs fn atomically: a multi-row change lands whole or not at all. */
  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  namespace(name: string): NamespaceRow | undefined {
    return this.db.prepare('SELECT * FROM metadef_namespaces WHERE namespace = ?').get(name) as NamespaceRow | undefined;
  }

  namespaces(where: string, params: unknown[]): NamespaceRow[] {
    return this.db.prepare(`SELECT * FROM metadef_namespaces ${where}`).all(...params) as NamespaceRow[];
  }

  insertNamespace(r: Omit<NamespaceRow, 'id'>): number {
    if (this.namespace(r.namespace)) throw conflict(`A metadata definition namespace with name=${r.namespace} already exists.`);
    return Number(
      this.db
        .prepare('INSERT INTO metadef_namespaces (namespace, display_name, description, visibility, protected, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(r.namespace, r.display_name, r.description, r.visibility, r.protected, r.owner, r.created_at, r.updated_at).lastInsertRowid,
    );
  }

  updateNamespace(id: number, r: Omit<NamespaceRow, 'id' | 'created_at'>): void {
    const clash = this.namespace(r.namespace);
    if (clash && clash.id !== id) throw conflict(`A metadata definition namespace with name=${r.namespace} already exists.`);
    this.db
      .prepare('UPDATE metadef_namespaces SET namespace = ?, display_name = ?, description = ?, visibility = ?, protected = ?, owner = ?, updated_at = ? WHERE id = ?')
      .run(r.namespace, r.display_name, r.description, r.visibility, r.protected, r.owner, r.updated_at, id);
  }

  deleteNamespace(id: number): void {
    this.db.prepare('DELETE FROM metadef_namespaces WHERE id = ?').run(id);
  }

  /** Removes every object, property or tag of a namespace. */
  clear(table: 'metadef_objects' | 'metadef_properties' | 'metadef_tags', namespaceId: number): void {
    this.db.prepare(`DELETE FROM ${table} WHERE namespace_id = ?`).run(namespaceId);
  }

  // Resource types and their associations

  resourceTypes(): NamedRow[] {
    return this.db.prepare('SELECT name, created_at, updated_at FROM metadef_resource_types ORDER BY created_at, name').all() as NamedRow[];
  }

  associations(namespaceId: number): ResourceTypeAssociationView[] {
    const rows = this.db
      .prepare(
        `SELECT rt.name, a.prefix, a.properties_target, a.created_at, a.updated_at FROM metadef_namespace_resource_types a
         JOIN metadef_resource_types rt ON rt.id = a.resource_type_id WHERE a.namespace_id = ? ORDER BY a.created_at, rt.name`,
      )
      .all(namespaceId) as AssociationRow[];
    return rows.map((r) => compact({ name: r.name, prefix: r.prefix, properties_target: r.properties_target, created_at: isoSeconds(r.created_at), updated_at: isoSeconds(r.updated_at) }) as ResourceTypeAssociationView);
  }

  /** Adds a resource type unless it exists. */
  addResourceType(name: string, now: string, isProtected = false): void {
    this.db.prepare('INSERT INTO metadef_resource_types (name, protected, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO NOTHING').run(name, isProtected ? 1 : 0, now, now);
  }

  /** Associates a resource type (created on first use, as Glance does) with a namespace. */
  associate(namespaceId: number, namespace: string, a: ResourceTypeAssociationInput, now: string): void {
    this.addResourceType(a.name, now);
    const rtId = this.db.prepare('SELECT id FROM metadef_resource_types WHERE name = ?').pluck().get(a.name) as number;
    const res = this.db
      .prepare('INSERT INTO metadef_namespace_resource_types (namespace_id, resource_type_id, prefix, properties_target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(namespaceId, rtId, a.prefix ?? null, a.properties_target ?? null, now, now);
    if (res.changes !== 1) throw conflict(`The metadata definition resource-type association of resource-type=${a.name} to namespace=${namespace}, already exists.`);
  }

  dissociate(namespaceId: number, resourceType: string): boolean {
    return this.db
      .prepare('DELETE FROM metadef_namespace_resource_types WHERE namespace_id = ? AND resource_type_id = (SELECT id FROM metadef_resource_types WHERE name = ?)')
      .run(namespaceId, resourceType).changes === 1;
  }

  // Properties

  properties(namespaceId: number): Record<string, PropertyView> {
    const rows = this.db.prepare('SELECT name, definition, created_at, updated_at FROM metadef_properties WHERE namespace_id = ? ORDER BY name').all(namespaceId) as PropertyRow[];
    return Object.fromEntries(rows.map((r) => [r.name, propertyView(r.name, r.definition)]));
  }

  property(namespaceId: number, name: string): PropertyView | undefined {
    const def = this.db.prepare('SELECT definition FROM metadef_properties WHERE namespace_id = ? AND name = ?').pluck().get(namespaceId, name) as string | undefined;
    return def === undefined ? undefined : propertyView(name, def);
  }

  /** Inserts, or with `replacing` renames and rewrites, a property; 409 on a name already taken. */
  putProperty(namespaceId: number, namespace: string, name: string, def: PropertyDefinition, now: string, replacing?: string): void {
    if (name !== replacing && this.property(namespaceId, name)) throw conflict(`A metadata definition property with name=${name} already exists in namespace=${namespace}.`);
    if (replacing === undefined)
      this.db.prepare('INSERT INTO metadef_properties (namespace_id, name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(namespaceId, name, JSON.stringify(def), now, now);
    else this.db.prepare('UPDATE metadef_properties SET name = ?, definition = ?, updated_at = ? WHERE namespace_id = ? AND name = ?').run(name, JSON.stringify(def), now, namespaceId, replacing);
  }

  deleteProperty(namespaceId: number, name: string): boolean {
    return this.db.prepare('DELETE FROM metadef_properties WHERE namespace_id = ? AND name = ?').run(namespaceId, name).changes === 1;
  }

  // Objects

  objects(namespaceId: number, namespace: string): MetadefObjectView[] {
    const rows = this.db.prepare('SELECT * FROM metadef_objects WHERE namespace_id = ? ORDER BY created_at, name').all(namespaceId) as ObjectRow[];
    return rows.map((r) => this.objectView(namespace, r));
  }

  object(namespaceId: number, namespace: string, name: string): MetadefObjectView | undefined {
    const r = this.db.prepare('SELECT * FROM metadef_objects WHERE namespace_id = ? AND name = ?').get(namespaceId, name) as ObjectRow | undefined;
    return r && this.objectView(namespace, r);
  }

  /** Inserts, or with `replacing` renames and rewrites, an object; 409 on a name already taken. */
  putObject(namespaceId: number, namespace: string, o: MetadefObjectInput, now: string, replacing?: string): void {
    if (o.name !== replacing && this.object(namespaceId, namespace, o.name)) throw conflict(`A metadata definition object with name=${o.name} already exists in namespace=${namespace}.`);
    const values = [o.name, o.description ?? null, JSON.stringify(o.required ?? []), JSON.stringify(o.properties ?? {})];
    if (replacing === undefined)
      this.db.prepare('INSERT INTO metadef_objects (namespace_id, name, description, required, properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(namespaceId, ...values, now, now);
    else this.db.prepare('UPDATE metadef_objects SET name = ?, description = ?, required = ?, properties = ?, updated_at = ? WHERE namespace_id = ? AND name = ?').run(...values, now, namespaceId, replacing);
  }

  deleteObject(namespaceId: number, name: string): boolean {
    return this.db.prepare('DELETE FROM metadef_objects WHERE namespace_id = ? AND name = ?').run(namespaceId, name).changes === 1;
  }

  private objectView(namespace: string, r: ObjectRow): MetadefObjectView {
    const required = JSON.parse(r.required) as string[];
    return compact({
      name: r.name,
      description: r.description,
      required: required.length ? required : null,
      properties: propertyMap(JSON.parse(r.properties) as Record<string, PropertyDefinition>),
      created_at: isoSeconds(r.created_at),
      updated_at: isoSeconds(r.updated_at),
      schema: '/v2/schemas/metadefs/object',
      self: `${namespaceHref(namespace)}/objects/${enc(r.name)}`,
    }) as MetadefObjectView;
  }

  // Tags

  tags(namespaceId: number, order: { key: 'name' | 'created_at' | 'updated_at'; dir: 'asc' | 'desc' } = { key: 'created_at', dir: 'asc' }): MetadefTagView[] {
    const rows = this.db.prepare(`SELECT name, created_at, updated_at FROM metadef_tags WHERE namespace_id = ? ORDER BY ${order.key} ${order.dir}, name ${order.dir}`).all(namespaceId) as NamedRow[];
    return rows.map((r) => ({ name: r.name, created_at: isoSeconds(r.created_at), updated_at: isoSeconds(r.updated_at) }));
  }

  tag(namespaceId: number, name: string): MetadefTagView | undefined {
    const r = this.db.prepare('SELECT name, created_at, updated_at FROM metadef_tags WHERE namespace_id = ? AND name = ?').get(namespaceId, name) as NamedRow | undefined;
    return r && { name: r.name, created_at: isoSeconds(r.created_at), updated_at: isoSeconds(r.updated_at) };
  }

  /** Inserts, or with `replacing` renames, a tag; 409 on a name already taken. */
  putTag(namespaceId: number, namespace: string, name: string, now: string, replacing?: string): void {
    if (name !== replacing && this.tag(namespaceId, name)) throw conflict(`A metadata tag with name=${name} already exists in namespace=${namespace}.`);
    if (replacing === undefined) this.db.prepare('INSERT INTO metadef_tags (namespace_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(namespaceId, name, now, now);
    else this.db.prepare('UPDATE metadef_tags SET name = ?, updated_at = ? WHERE namespace_id = ? AND name = ?').run(name, now, namespaceId, replacing);
  }

  deleteTag(namespaceId: number, name: string): boolean {
    return this.db.prepare('DELETE FROM metadef_tags WHERE namespace_id = ? AND name = ?').run(namespaceId, name).changes === 1;
  }

  /** A namespace as Glance renders it; `detail` adds its properties, objects and tags (GET one namespace). */
  view(r: NamespaceRow, detail: boolean): NamespaceView {
    const associations = this.associations(r.id);
    const v: NamespaceView = compact({
      namespace: r.namespace,
      display_name: r.display_name,
      description: r.description,
      visibility: r.visibility,
      protected: r.protected === 1,
      owner: r.owner,
      created_at: isoSeconds(r.created_at),
      updated_at: isoSeconds(r.updated_at),
      schema: '/v2/schemas/metadefs/namespace',
      self: namespaceHref(r.namespace),
      resource_type_associations: associations.length ? associations : null,
    }) as NamespaceView;
    if (!detail) return v;
    const properties = this.properties(r.id);
    const objects = this.objects(r.id, r.namespace);
    const tags = this.tags(r.id).map((t) => ({ name: t.name }));
    if (Object.keys(properties).length) v.properties = properties;
    if (objects.length) v.objects = objects;
    if (tags.length) v.tags = tags;
    return v;
  }
}
