import { z } from 'zod';
import { parseInput } from './parse-body';

// Keystone reads any value but "0"/"false" (any case) as true for boolean filters.
const boolFilter = z
  .string()
  .max(16)
  .transform((v) => !['0', 'false'].includes(v.toLowerCase()));

const filters = z.object({
  name: z.string().max(1024).optional(),
  domain_id: z.string().max(1024).optional(),
  enabled: boolFilter.optional(),
});

/** The name / domain_id / enabled filters shared by project, user and domain lists. */
export function listFilters(query: unknown): { name?: string; domainId?: string; enabled?: boolean } {
  const q = parseInput(filters, pick(query, ['name', 'domain_id', 'enabled']));
  return { name: q.name, domainId: q.domain_id, enabled: q.enabled };
}

/** Keeps only the named keys (clients send others, e.g. pagination hints, which we ignore). */
export function pick(query: unknown, keys: string[]): Record<string, unknown> {
  const src = (query ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

/** The named query values as strings (a repeated key is a 400); absent ones are left out. */
export function queryStrings<K extends string>(query: unknown, keys: readonly K[]): Partial<Record<K, string>> {
  const shape = Object.fromEntries(keys.map((k) => [k, z.string().max(1024).optional()])) as Record<K, z.ZodOptional<z.ZodString>>;
  return parseInput(z.object(shape), pick(query, [...keys])) as Partial<Record<K, string>>;
}

/** A query flag: present and not "0"/"false" (Keystone's query_filter_is_true); an empty value counts as true. */
export const isTrue = (v: string | undefined): boolean => v !== undefined && !['0', 'false'].includes(v.toLowerCase());

/** A comma-separated list filter (tags=a,b). */
export const csv = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').filter((t) => t.length > 0));
