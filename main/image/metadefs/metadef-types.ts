// Glance's metadata definitions (metadefs) vocabulary: what clients send and what they get back.

export const METADEF_VISIBILITIES = ['public', 'private'] as const;
export type MetadefVisibility = (typeof METADEF_VISIBILITIES)[number];

export const PROPERTY_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'] as const;

/** Column sizes Glance enforces. */
export const METADEF_LIMITS = { name: 80, displayName: 80, description: 500, owner: 255, tagName: 255 } as const;

/** A property definition as JSON schema fragments describe it (title and type are required). */
export interface PropertyDefinition {
  title: string;
  type: (typeof PROPERTY_TYPES)[number] | null;
  description?: string;
  operators?: string[];
  default?: unknown;
  readonly?: boolean;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  confidential?: boolean;
  items?: { type?: (typeof PROPERTY_TYPES)[number] | null; enum?: unknown[] };
  uniqueItems?: boolean;
  minItems?: number;
  maxItems?: number;
  additionalItems?: boolean;
}

export interface ResourceTypeAssociationInput {
  name: string;
  prefix?: string;
  properties_target?: string;
}

export interface MetadefObjectInput {
  name: string;
  description?: string;
  required?: string[];
  properties?: Record<string, PropertyDefinition>;
}

/** POST and PUT /v2/metadefs/namespaces bodies; create may carry the namespace's contents too. */
export interface NamespaceInput {
  namespace: string;
  display_name?: string;
  description?: string;
  visibility?: MetadefVisibility;
  protected?: boolean;
  owner?: string;
  resource_type_associations?: ResourceTypeAssociationInput[];
  properties?: Record<string, PropertyDefinition>;
  objects?: MetadefObjectInput[];
  tags?: Array<{ name: string }>;
}

export interface ResourceTypeAssociationView {
  name: string;
  prefix?: string;
  properties_target?: string;
  created_at: string;
  updated_at: string;
}

export type PropertyView = PropertyDefinition & { name: string };

export interface MetadefObjectView {
  name: string;
  description?: string;
  required?: string[];
  properties: Record<string, PropertyView>;
  created_at: string;
  updated_at: string;
  schema: '/v2/schemas/metadefs/object';
  self: string;
}

export interface MetadefTagView {
  name: string;
  created_at: string;
  updated_at: string;
}

export interface NamespaceView {
  namespace: string;
  display_name?: string;
  description?: string;
  visibility: MetadefVisibility;
  protected: boolean;
  owner: string;
  created_at: string;
  updated_at: string;
  schema: '/v2/schemas/metadefs/namespace';
  self: string;
  resource_type_associations?: ResourceTypeAssociationView[];
  /** Only when showing one namespace. */
  properties?: Record<string, PropertyView>;
  objects?: MetadefObjectView[];
  tags?: Array<{ name: string }>;
}

export interface NamespaceListFilters {
  limit?: number;
  marker?: string;
  sort_key?: 'created_at' | 'updated_at' | 'namespace' | 'display_name';
  sort_dir?: 'asc' | 'desc';
  visibility?: MetadefVisibility;
  /** Namespaces associated with any of these resource types. */
  resource_types?: string[];
}

export interface NamespacePage {
  namespaces: NamespaceView[];
  /** The last namespace's name when the page was full. */
  nextMarker?: string;
}
