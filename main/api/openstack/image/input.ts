import { z } from 'zod';
import { badRequest } from '../../../core/errors';
import { CONTAINER_FORMATS, DISK_FORMATS, MEMBER_STATUSES, VISIBILITIES, WRITABLE_ATTRS, type ImageCreateFields, type ImageListFilters, type ImagePatchOp, type TimeFilter } from '../../../image/image-types';
import { assertSettable } from '../../../image/image-patch';
import { MAX_LIMIT } from '../../../image/image-list';

/** Turns a zod failure into Glance's 400 wording, naming the first offending field. */
function schemaError(err: z.ZodError): never {
  const issue = err.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  throw badRequest(`Provided object does not match schema 'image': ${String(where).slice(0, 255)}: ${issue?.message ?? 'invalid'}`);
}

const createSchema = z
  .object({
    id: z.string().max(36).optional(),
    name: z.string().max(255).nullable().optional(),
    disk_format: z.enum(DISK_FORMATS).nullable().optional(),
    container_format: z.enum(CONTAINER_FORMATS).nullable().optional(),
    visibility: z.enum(VISIBILITIES).optional(),
    protected: z.boolean().optional(),
    os_hidden: z.boolean().optional(),
    min_disk: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    min_ram: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    tags: z.array(z.string().min(1).max(255)).max(128).optional(),
    owner: z.string().max(255).nullable().optional(),
  })
  .catchall(z.string().max(65535));

/** Validates a POST /v2/images body: core attributes typed, anything else a string property. */
export function parseCreate(body: unknown): ImageCreateFields {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Malformed request body: expected a JSON object describing the image.');
  // Read-only and reserved attributes are a 403 in Glance, before any type check.
  for (const key of Object.keys(body)) if (key !== 'id') assertSettable(key);
  const parsed = createSchema.safeParse(body);
  if (!parsed.success) schemaError(parsed.error);
  const fields: ImageCreateFields = { properties: {} };
  for (const [k, v] of Object.entries(parsed.data)) {
    if (v === undefined) continue;
    if ((WRITABLE_ATTRS as readonly string[]).includes(k) || k === 'id') (fields as Record<string, unknown>)[k] = v;
    else fields.properties![k] = v as string;
  }
  return fields;
}

const patchSchema = z
  .array(
    z.object({
      op: z.enum(['add', 'replace', 'remove']),
      path: z.string().min(1).max(1024),
      value: z.unknown().optional(),
    }),
  )
  .max(1000);

// The older media type (draft 4): each operation names itself by its key, {"replace": "/name", "value": …}.
const PATCH_OPS = ['add', 'replace', 'remove'] as const;
const draft4Schema = z.array(z.record(z.string(), z.unknown())).max(1000);

function draft4Op(raw: Record<string, unknown>): ImagePatchOp {
  const ops = PATCH_OPS.filter((k) => k in raw);
  if (ops.length !== 1) throw badRequest('Operation objects must contain exactly one member named "add", "remove", or "replace".');
  const op = ops[0];
  const path = raw[op];
  if (typeof path !== 'string' || path.length === 0 || path.length > 1024) throw badRequest(`Invalid JSON-patch document: '${op}' must name a path such as "/name".`);
  return 'value' in raw ? { op, path, value: raw.value } : { op, path };
}

/**
 * Validates a json-patch document: `application/openstack-images-v2.1-json-patch` ({op, path, value})
 * by default, or the older v2.0 form when `draft4` is set.
 */
export function parsePatch(body: unknown, draft4 = false): ImagePatchOp[] {
  if (draft4) {
    const ops = draft4Schema.safeParse(body);
    if (!ops.success) throw badRequest('Invalid JSON-patch document: send an array of operations such as {"replace": "/name", "value": "new"}.');
    return ops.data.map(draft4Op);
  }
  const parsed = patchSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`Invalid JSON-patch document: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}. Send an array of {op, path, value}.`);
  }
  return parsed.data.map((o) => ('value' in o ? { op: o.op, path: o.path, value: o.value } : { op: o.op, path: o.path }));
}

type Query = Record<string, string | string[] | undefined>;

const one = (q: Query, key: string): string | undefined => {
  const v = q[key];
  if (Array.isArray(v)) return v[v.length - 1];
  return v;
};
const many = (q: Query, key: string): string[] | undefined => {
  const v = q[key];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [v];
};

function int(key: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw badRequest(`${key} param must be an integer >= 0.`);
  return Number(v);
}

function boolParam(key: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw badRequest(`Invalid value for ${key}: expected true or false.`);
}

function sortDir(v: string): 'asc' | 'desc' {
  if (v !== 'asc' && v !== 'desc') throw badRequest(`Invalid sort direction: ${v.slice(0, 50)}. It must be asc or desc.`);
  return v;
}

const INT_COLUMNS = ['size', 'virtual_size', 'min_disk', 'min_ram', 'size_min', 'size_max'] as const;
const KNOWN = new Set<string>(['limit', 'marker', 'member_status', 'sort', 'sort_key', 'sort_dir', 'id', 'name', 'status', 'visibility', 'owner', 'disk_format', 'container_format', 'tag', 'protected', 'os_hidden',
  'checksum', 'os_hash_value', 'created_at', 'updated_at', ...INT_COLUMNS]);
const TIME_OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;

/** `created_at=gte:2024-01-01T00:00:00Z` (a bare time means eq), as Glance's time filters. */
function timeFilter(key: string, v: string | undefined): TimeFilter | undefined {
  if (v === undefined) return undefined;
  const colon = v.indexOf(':');
  const prefix = colon > 0 ? v.slice(0, colon) : '';
  const op = (TIME_OPS as readonly string[]).includes(prefix) ? (prefix as TimeFilter['op']) : 'eq';
  const when = op === 'eq' && prefix !== 'eq' ? v : v.slice(colon + 1);
  const ms = /^\d{4}-\d\d-\d\d([T ][\d:.]+)?(Z|[+-]\d\d:?\d\d)?$/.test(when) ? Date.parse(when) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`Invalid value for ${key}: expected an ISO 8601 time, optionally after an operator (${TIME_OPS.join(', ')}), e.g. gte:2024-01-01T00:00:00Z.`);
  return { op, at: new Date(ms).toISOString() };
}

/** GET /v2/images query → service filters; unknown keys filter on custom properties, as in Glance. */
export function parseListQuery(q: Query): ImageListFilters {
  const f: ImageListFilters = {};
  const limit = int('limit', one(q, 'limit'));
  if (limit !== undefined) f.limit = Math.min(limit, MAX_LIMIT);
  f.marker = one(q, 'marker');
  const sort = one(q, 'sort');
  if (sort !== undefined) {
    if (q.sort_key !== undefined || q.sort_dir !== undefined) throw badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
    f.sort_key = [];
    f.sort_dir = [];
    for (const part of sort.split(',')) {
      const [key, dir] = part.split(':');
      f.sort_key.push(key.trim());
      f.sort_dir.push(sortDir((dir ?? 'desc').trim()));
    }
  } else {
    f.sort_key = many(q, 'sort_key');
    f.sort_dir = many(q, 'sort_dir')?.map(sortDir);
  }
  for (const key of ['id', 'name', 'status', 'owner', 'disk_format', 'container_format'] as const) f[key] = one(q, key);
  const vis = one(q, 'visibility');
  if (vis !== undefined) {
    if (vis !== 'all' && !(VISIBILITIES as readonly string[]).includes(vis)) throw badRequest(`Invalid visibility value: ${vis.slice(0, 50)}. Use one of all, ${VISIBILITIES.join(', ')}.`);
    f.visibility = vis as ImageListFilters['visibility'];
  }
  const memberStatus = one(q, 'member_status');
  if (memberStatus !== undefined) {
    if (memberStatus !== 'all' && !(MEMBER_STATUSES as readonly string[]).includes(memberStatus))
      throw badRequest(`Invalid status value: ${memberStatus.slice(0, 50)}. Use one of all, ${MEMBER_STATUSES.join(', ')}.`);
    f.member_status = memberStatus as ImageListFilters['member_status'];
  }
  f.tag = many(q, 'tag');
  f.protected = boolParam('protected', one(q, 'protected'));
  f.os_hidden = boolParam('os_hidden', one(q, 'os_hidden'));
  for (const key of INT_COLUMNS) f[key] = int(key, one(q, key));
  f.checksum = one(q, 'checksum');
  f.os_hash_value = one(q, 'os_hash_value');
  f.created_at = timeFilter('created_at', one(q, 'created_at'));
  f.updated_at = timeFilter('updated_at', one(q, 'updated_at'));
  for (const key of Object.keys(q)) {
    if (KNOWN.has(key)) continue;
    const v = one(q, key);
    if (v !== undefined) (f.properties ??= {})[key] = v;
  }
  for (const k of Object.keys(f) as Array<keyof ImageListFilters>) if (f[k] === undefined) delete f[k];
  return f;
}
