import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../core/context';
import { badRequest, forbidden } from '../../../core/errors';
import { authOf } from '../auth';

/** Nova's wording when a rule is admin-only. */
export function requireAdmin(req: FastifyRequest, rule: string): RequestContext {
  const ctx = authOf(req);
  if (!ctx.isAdmin) throw forbidden(`Policy doesn't allow ${rule} to be performed.`);
  return ctx;
}

/** Query parameters as single strings (the last one wins when repeated). */
export function queryOf(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v.length) out[k] = String(v[v.length - 1]);
  }
  return out;
}

const TRUE = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
export const truthy = (v: string | undefined): boolean => v !== undefined && TRUE.has(v.toLowerCase());

/** Parses limit/marker like Nova: limit a non-negative integer, capped at 1000. */
export function pageParams(q: Record<string, string>): { limit?: number; marker?: string } {
  const out: { limit?: number; marker?: string } = {};
  if (q.limit !== undefined) {
    if (!/^\d{1,9}$/.test(q.limit)) throw badLimit(q.limit);
    out.limit = Math.min(Number(q.limit), 1000);
  }
  if (q.marker !== undefined) out.marker = q.marker;
  return out;
}

const badLimit = (v: string) => badRequest(`Invalid input for query parameters limit. Value: ${v.slice(0, 50)}. '${v.slice(0, 50)}' does not match '^[0-9]*$'`);

// ISO 8601 as oslo's parse_isotime takes it: a date, optionally a time and a zone.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A changes-since (or changes-before) query parameter as an ISO timestamp; Nova's 400 when it is not a date-time. */
export function changesSince(q: Record<string, string>, param: 'changes-since' | 'changes-before' = 'changes-since'): string | undefined {
  const raw = q[param];
  if (raw === undefined) return undefined;
  const t = ISO_TIME.test(raw) ? Date.parse(raw.replace(' ', 'T').replace(',', '.')) : NaN;
  if (Number.isNaN(t)) throw badRequest(`Invalid input for query parameters ${param}. Value: ${raw.slice(0, 50)}. '${raw.slice(0, 50)}' is not a 'date-time'`);
  return new Date(t).toISOString();
}
