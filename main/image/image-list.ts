import { badRequest } from '../core/errors';
import type { ImageRow } from './image-row';
import { readProps } from './image-row';
import type { ImageListFilters } from './image-types';

/** Keys Glance sorts by. */
export const SORT_KEYS = ['created_at', 'updated_at', 'id', 'name', 'status', 'container_format', 'disk_format', 'size', 'virtual_size', 'owner', 'visibility', 'min_disk', 'min_ram'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Glance's limit_param_default and api_limit_max. */
export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

export interface SortSpec {
  key: SortKey;
  dir: 'asc' | 'desc';
}

/** Resolves sort_key/sort_dir lists into a total order (created_at and id break ties, as Glance does). */
export function sortSpecs(keys: string[] = [], dirs: Array<'asc' | 'desc'> = []): SortSpec[] {
  if (dirs.length > 1 && dirs.length !== keys.length) throw badRequest('The number of sort_dir values must be one, or match the number of sort_key values.');
  const specs: SortSpec[] = keys.map((k, i) => {
    if (!(SORT_KEYS as readonly string[]).includes(k)) throw badRequest(`Invalid sort key: ${k.slice(0, 100)}. It must be one of the following: ${SORT_KEYS.join(', ')}.`);
    return { key: k as SortKey, dir: dirs[i] ?? dirs[0] ?? 'desc' };
  });
  const lastDir = specs.at(-1)?.dir ?? dirs[0] ?? 'desc';
  for (const k of ['created_at', 'id'] as const) if (!specs.some((s) => s.key === k)) specs.push({ key: k, dir: lastDir });
  return specs;
}

function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

export function compareRows(a: ImageRow, b: ImageRow, specs: SortSpec[]): number {
  for (const s of specs) {
    const c = compareValues(a[s.key], b[s.key]);
    if (c !== 0) return s.dir === 'asc' ? c : -c;
  }
  return 0;
}

/** Filters Glance evaluates beyond the SQL WHERE: tags (all must match) and custom properties. */
export function matchesExtra(row: ImageRow, f: ImageListFilters): boolean {
  if (f.tag?.length) {
    const tags = JSON.parse(row.tags) as string[];
    if (!f.tag.every((t) => tags.includes(t))) return false;
  }
  if (f.properties) {
    const custom = readProps(row.properties).custom;
    for (const [k, v] of Object.entries(f.properties)) if (custom[k] !== v) return false;
  }
  if (f.os_hidden !== undefined && readProps(row.properties).hidden !== f.os_hidden) return false;
  return true;
}

/** Splits Glance's `in:a,b` operator; a plain value is a one-element list. */
export function inList(v: string): string[] {
  return v.startsWith('in:') ? v.slice(3).split(',') : [v];
}

const SQL_OP = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '<>' } as const;

/** SQL WHERE for the column filters; returns the clause and its parameters. */
export function whereFor(f: ImageListFilters, scope: { isAdmin: boolean; projectId: string }): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const eqIn = (col: string, v: string | undefined) => {
    if (v === undefined) return;
    const vals = inList(v);
    where.push(`${col} IN (${vals.map(() => '?').join(',')})`);
    params.push(...vals);
  };
  // Visibility: what this project may see at all (shared images only in the requested member
  // status, accepted by default), then the listing default (community only on request).
  if (!scope.isAdmin) {
    const status = f.member_status ?? 'accepted';
    const byStatus = status === 'all' ? '' : ' AND status = ?';
    where.push(`(visibility IN ('public','community') OR owner = ? OR (visibility = 'shared' AND id IN (SELECT image_id FROM image_members WHERE member_id = ?${byStatus})))`);
    params.push(scope.projectId, scope.projectId);
    if (status !== 'all') params.push(status);
  }
  if (f.visibility === undefined) {
    if (!scope.isAdmin) {
      where.push("(visibility <> 'community' OR owner = ?)");
      params.push(scope.projectId);
    }
  } else if (f.visibility !== 'all') {
    where.push('visibility = ?');
    params.push(f.visibility);
  }
  eqIn('id', f.id);
  eqIn('name', f.name);
  eqIn('status', f.status);
  eqIn('owner', f.owner);
  eqIn('disk_format', f.disk_format);
  eqIn('container_format', f.container_format);
  if (f.protected !== undefined) {
    where.push('protected = ?');
    params.push(f.protected ? 1 : 0);
  }
  for (const col of ['size', 'virtual_size', 'min_disk', 'min_ram', 'checksum', 'os_hash_value'] as const) {
    if (f[col] === undefined) continue;
    where.push(`${col} = ?`);
    params.push(f[col]);
  }
  for (const col of ['created_at', 'updated_at'] as const) {
    const t = f[col];
    if (!t) continue;
    where.push(`${col} ${SQL_OP[t.op]} ?`);
    params.push(t.at);
  }
  if (f.size_min !== undefined) {
    where.push('size >= ?');
    params.push(f.size_min);
  }
  if (f.size_max !== undefined) {
    where.push('size <= ?');
    params.push(f.size_max);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}
