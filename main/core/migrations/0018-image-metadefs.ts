import type { Migration } from './index';

// Glance's metadata definitions catalog (metadefs): namespaces of property definitions, objects and
// tags, associated with the resource types (images, flavors, volumes…) they describe.
export const migration: Migration = {
  version: 18,
  name: 'image: metadata definitions',
  sql: `
CREATE TABLE metadef_namespaces (
  id INTEGER PRIMARY KEY,
  namespace TEXT NOT NULL UNIQUE,
  display_name TEXT,
  description TEXT,
  visibility TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('public','private')),
  protected INTEGER NOT NULL DEFAULT 0,
  owner TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE metadef_resource_types (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  protected INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE metadef_namespace_resource_types (
  namespace_id INTEGER NOT NULL REFERENCES metadef_namespaces(id) ON DELETE CASCADE,
  resource_type_id INTEGER NOT NULL REFERENCES metadef_resource_types(id),
  prefix TEXT,
  properties_target TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (namespace_id, resource_type_id)
) STRICT;
CREATE TABLE metadef_objects (
  id INTEGER PRIMARY KEY,
  namespace_id INTEGER NOT NULL REFERENCES metadef_namespaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  required TEXT NOT NULL DEFAULT '[]',
  properties TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (namespace_id, name)
) STRICT;
CREATE TABLE metadef_properties (
  id INTEGER PRIMARY KEY,
  namespace_id INTEGER NOT NULL REFERENCES metadef_namespaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (namespace_id, name)
) STRICT;
CREATE TABLE metadef_tags (
  id INTEGER PRIMARY KEY,
  namespace_id INTEGER NOT NULL REFERENCES metadef_namespaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (namespace_id, name)
) STRICT;
`,
};
