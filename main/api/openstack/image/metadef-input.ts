import { z } from 'zod';
import { badRequest, forbidden } from '../../../core/errors';
import { MAX_LIMIT } from '../../../image/image-list';
import type { TagListOptions } from '../../../image/metadefs/metadef-contents';
import {
  METADEF_LIMITS,
  METADEF_VISIBILITIES,
  PROPERTY_TYPES,
  type MetadefObjectInput,
  type NamespaceInput,
  type NamespaceListFilters,
  type PropertyDefinition,
  type ResourceTypeAssociationInput,
} from '../../../image/metadefs/metadef-types';

// Request bodies and queries of /v2/metadefs, validated as Glance's JSON schemas would.

const name = (max: number) => z.string().min(1).max(max);
const optStr = (max: number) => z.string().max(max).nullish().transform((v) => v ?? undefined);
const propertyType = z.enum(PROPERTY_TYPES).nullable();

const propertyDef = z.object({
  title: z.string().max(255),
  type: propertyType,
  description: z.string().max(2000).optional(),
  operators: z.array(z.string().max(255)).max(50).optional(),
  default: z.unknown().optional(),
  readonly: z.boolean().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  enum: z.array(z.unknown()).max(1000).optional(),
  pattern: z.string().max(1000).optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(0).optional(),
  confidential: z.boolean().optional(),
  items: z.object({ type: propertyType.optional(), enum: z.array(z.unknown()).max(1000).optional() }).optional(),
  uniqueItems: z.boolean().optional(),
  minItems: z.number().int().min(0).optional(),
  maxItems: z.number().int().min(0).optional(),
  additionalItems: z.boolean().optional(),
});
const propertyMap = z.record(name(METADEF_LIMITS.name), propertyDef).refine((m) => Object.keys(m).length <= 1000, 'at most 1000 properties');

const association = z.object({ name: name(METADEF_LIMITS.name), prefix: optStr(80), properties_target: optStr(80) });

const object = z.object({
  name: name(METADEF_LIMITS.name),
  description: optStr(METADEF_LIMITS.description),
  required: z.array(z.string().max(METADEF_LIMITS.name)).max(1000).optional(),
  properties: propertyMap.optional(),
});

const tagName = z.object({ name: name(METADEF_LIMITS.tagName) });

const namespace = z.object({
  namespace: name(METADEF_LIMITS.name),
  display_name: optStr(METADEF_LIMITS.displayName),
  description: optStr(METADEF_LIMITS.description),
  visibility: z.enum(METADEF_VISIBILITIES).optional(),
  protected: z.boolean().optional(),
  owner: optStr(METADEF_LIMITS.owner),
  resource_type_associations: z.array(association).max(100).optional(),
  properties: propertyMap.optional(),
  objects: z.array(object).max(1000).optional(),
  tags: z.array(tagName).max(1000).optional(),
});

// Glance answers 403 for the attributes it computes itself.
const READ_ONLY = ['self', 'schema', 'created_at', 'updated_at'];

function parse<T>(schema: z.ZodType<T>, what: string, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`Malformed request body: expected a JSON object describing the ${what}.`);
  for (const key of READ_ONLY) if (key in body) throw forbidden(`Attribute '${key}' is read-only.`);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  throw badRequest(`Provided object does not match schema '${what}': ${String(where).slice(0, 255)}: ${issue?.message ?? 'invalid'}`);
}

export const parseNamespace = (body: unknown): NamespaceInput => parse(namespace, 'namespace', body) as NamespaceInput;
export const parseObject = (body: unknown): MetadefObjectInput => parse(object, 'object', body) as MetadefObjectInput;
export const parseAssociation = (body: unknown): ResourceTypeAssociationInput => parse(association, 'resource_type_association', body);
export const parseTagName = (body: unknown): string => parse(tagName, 'tag', body).name;
export const parseTags = (body: unknown): string[] => parse(z.object({ tags: z.array(tagName).max(1000) }), 'tags', body).tags.map((t) => t.name);

/** A property body carries its name beside the definition. */
export function parseProperty(body: unknown): { name: string; definition: PropertyDefinition } {
  const { name: propertyName, ...definition } = parse(propertyDef.extend({ name: name(METADEF_LIMITS.name) }), 'property', body);
  return { name: propertyName, definition: definition as PropertyDefinition };
}

type Query = Record<string, string | string[] | undefined>;
const one = (q: Query, key: string): string | undefined => (Array.isArray(q[key]) ? (q[key] as string[]).at(-1) : (q[key] as string | undefined));

function limitOf(q: Query): number | undefined {
  const v = one(q, 'limit');
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v) || Number(v) === 0) throw badRequest('limit param must be a positive integer.');
  return Math.min(Number(v), MAX_LIMIT);
}

function pick<T extends string>(q: Query, key: string, allowed: readonly T[]): T | undefined {
  const v = one(q, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw badRequest(`Invalid ${key}: ${v.slice(0, 50)}. It must be one of ${allowed.join(', ')}.`);
  return v as T;
}

/** GET /v2/metadefs/namespaces query. */
export function parseNamespaceQuery(q: Query): NamespaceListFilters {
  const f: NamespaceListFilters = {
    limit: limitOf(q),
    marker: one(q, 'marker'),
    sort_key: pick(q, 'sort_key', ['created_at', 'updated_at', 'namespace', 'display_name'] as const),
    sort_dir: pick(q, 'sort_dir', ['asc', 'desc'] as const),
    visibility: pick(q, 'visibility', METADEF_VISIBILITIES),
  };
  const types = one(q, 'resource_types');
  if (types !== undefined) f.resource_types = types.split(',').map((s) => s.trim()).filter(Boolean);
  return f;
}

/** GET /v2/metadefs/namespaces/{ns}/tags query. */
export function parseTagQuery(q: Query): TagListOptions {
  return {
    limit: limitOf(q),
    marker: one(q, 'marker'),
    sort_key: pick(q, 'sort_key', ['name', 'created_at', 'updated_at'] as const),
    sort_dir: pick(q, 'sort_dir', ['asc', 'desc'] as const),
  };
}
