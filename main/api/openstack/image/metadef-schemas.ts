import { METADEF_LIMITS, METADEF_VISIBILITIES, PROPERTY_TYPES } from '../../../image/metadefs/metadef-types';

// The JSON schemas Glance serves under /v2/schemas/metadefs/…; glanceclient builds its models from them.

const typeEnum = { type: 'string', enum: [...PROPERTY_TYPES, null] };
const readOnlyTime = (description: string) => ({ type: 'string', readOnly: true, description, format: 'date-time' });

const definitions = {
  positiveInteger: { type: 'integer', minimum: 0 },
  positiveIntegerDefault0: { allOf: [{ $ref: '#/definitions/positiveInteger' }, { default: 0 }] },
  stringArray: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  property: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['title', 'type'],
      properties: {
        name: { type: 'string', maxLength: METADEF_LIMITS.name },
        title: { type: 'string' },
        description: { type: 'string' },
        operators: { type: 'array', items: { type: 'string' } },
        type: typeEnum,
        required: { $ref: '#/definitions/stringArray' },
        minimum: { type: 'number' },
        maximum: { type: 'number' },
        maxLength: { $ref: '#/definitions/positiveInteger' },
        minLength: { $ref: '#/definitions/positiveIntegerDefault0' },
        pattern: { type: 'string', format: 'regex' },
        enum: { type: 'array' },
        readonly: { type: 'boolean' },
        default: {},
        items: { type: 'object', properties: { type: typeEnum, enum: { type: 'array' } } },
        maxItems: { $ref: '#/definitions/positiveInteger' },
        minItems: { $ref: '#/definitions/positiveIntegerDefault0' },
        uniqueItems: { type: 'boolean', default: false },
        additionalItems: { type: 'boolean' },
      },
    },
  },
};

const association = {
  name: { type: 'string', maxLength: METADEF_LIMITS.name, description: 'Resource type names should be aligned with Heat resource types whenever possible.' },
  prefix: { type: 'string', maxLength: 80, description: 'Prefix for the namespace\u2019s properties when applied to this resource type, such as hw_ for images.' },
  properties_target: { type: 'string', maxLength: 80, description: 'Which part of the resource the properties apply to, such as image for a volume\u2019s image metadata.' },
  created_at: readOnlyTime('Date and time of resource type association'),
  updated_at: readOnlyTime('Date and time of the last resource type association modification'),
};

const objectProperties = {
  name: { type: 'string', maxLength: METADEF_LIMITS.name },
  description: { type: 'string' },
  required: { $ref: '#/definitions/stringArray' },
  properties: { $ref: '#/definitions/property' },
  schema: { type: 'string', readOnly: true },
  self: { type: 'string', readOnly: true },
  created_at: readOnlyTime('Date and time of object creation'),
  updated_at: readOnlyTime('Date and time of the last object modification'),
};

const tagProperties = {
  name: { type: 'string', maxLength: METADEF_LIMITS.tagName },
  created_at: readOnlyTime('Date and time of tag creation'),
  updated_at: readOnlyTime('Date and time of the last tag modification'),
};

const NAMESPACE = {
  name: 'namespace',
  required: ['namespace'],
  additionalProperties: false,
  definitions,
  properties: {
    namespace: { type: 'string', maxLength: METADEF_LIMITS.name, description: 'The unique namespace text.' },
    display_name: { type: 'string', maxLength: METADEF_LIMITS.displayName, description: 'The user friendly name for the namespace. Used by UI if available.' },
    description: { type: 'string', maxLength: METADEF_LIMITS.description, description: 'Provides a user friendly description of the namespace.' },
    visibility: { type: 'string', enum: [...METADEF_VISIBILITIES], description: 'Scope of namespace accessibility.' },
    protected: { type: 'boolean', description: 'If true, namespace will not be deletable.' },
    owner: { type: 'string', maxLength: METADEF_LIMITS.owner, description: 'Owner of the namespace.' },
    created_at: readOnlyTime('Date and time of namespace creation'),
    updated_at: readOnlyTime('Date and time of the last namespace modification'),
    schema: { type: 'string', readOnly: true },
    self: { type: 'string', readOnly: true },
    resource_type_associations: { type: 'array', items: { type: 'object', properties: { name: association.name, prefix: association.prefix, properties_target: association.properties_target } } },
    properties: { $ref: '#/definitions/property' },
    objects: { type: 'array', items: { type: 'object', properties: { name: objectProperties.name, description: objectProperties.description, required: objectProperties.required, properties: objectProperties.properties } } },
    tags: { type: 'array', items: { type: 'object', properties: { name: tagProperties.name } } },
  },
};

const OBJECT = { name: 'object', required: ['name'], additionalProperties: false, definitions, properties: objectProperties };
const TAG = { name: 'tag', required: ['name'], additionalProperties: false, properties: tagProperties };
const RESOURCE_TYPE = { name: 'resource_type_association', required: ['name'], additionalProperties: false, properties: association };
const PROPERTY = {
  name: 'property',
  required: ['name', 'title', 'type'],
  additionalProperties: false,
  definitions,
  properties: { ...definitions.property.additionalProperties.properties, name: { type: 'string', maxLength: METADEF_LIMITS.name } },
};

/** A collection schema: the list key holds items of the member schema, with Glance's paging links. */
const collection = (name: string, key: string, item: object, links = true) => ({
  name,
  properties: {
    [key]: { type: 'array', items: item },
    ...(links ? { first: { type: 'string' }, next: { type: 'string' } } : {}),
    schema: { type: 'string' },
  },
  links: [...(links ? [{ rel: 'first', href: '{first}' }, { rel: 'next', href: '{next}' }] : []), { rel: 'describedby', href: '{schema}' }],
});

/** /v2/schemas/metadefs/{key} → schema document. */
export const METADEF_SCHEMAS: Record<string, object> = {
  namespace: NAMESPACE,
  namespaces: collection('namespaces', 'namespaces', NAMESPACE),
  object: OBJECT,
  objects: collection('objects', 'objects', OBJECT),
  property: PROPERTY,
  properties: { name: 'properties', definitions, properties: { properties: { $ref: '#/definitions/property' } }, links: [{ rel: 'describedby', href: '{schema}' }] },
  resource_type: RESOURCE_TYPE,
  resource_types: collection('resource_type_associations', 'resource_type_associations', RESOURCE_TYPE),
  tag: TAG,
  tags: collection('tags', 'tags', TAG),
};
