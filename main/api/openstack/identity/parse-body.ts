import type { z } from 'zod';
import { DeskError } from '../../../core/errors';

/** Validates a body (or query) with zod; failures become Keystone-style 400s naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : 'body';
  throw new DeskError('BadRequest', `Invalid input for field '${field}': ${issue.message}`);
}

/** The attributes Keystone has no column for, kept as "extra" and handed back as given. */
export function extraOf(obj: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!known.includes(k)) out[k] = v;
  return out;
}
