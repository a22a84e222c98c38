// Request validation with zod, worded like Nova's jsonschema errors so clients and users see
// "Invalid input for field/attribute name. Value: .... 'x' is too long".
import type { z } from 'zod';
import { badRequest } from '../../../core/errors';
import { jsonPreview } from '../../http/json-body';

/** A value as Python's repr shows it in jsonschema messages ('x', None, True, 12). */
export const repr = (v: unknown): string => {
  if (typeof v === 'string') return `'${v.length > 300 ? v.slice(0, 300) + '...' : v}'`;
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  // Bounded: a hostile value (deep or huge) must not overflow or flood the message.
  return jsonPreview(v, 300);
};

/** A value as Python's %s shows it after "Value:" (strings without quotes). */
const plain = (v: unknown): string => (typeof v === 'string' ? (v.length > 300 ? v.slice(0, 300) + '...' : v) : repr(v));

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const JSON_TYPE: Record<string, string> = { number: 'number', int: 'integer', string: 'string', boolean: 'boolean', object: 'object', array: 'array', record: 'object', null: 'null' };

/** Parses `value` or throws a 400 worded as Nova words schema errors. */
export function novaParse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path as PropertyKey[];
  const here = valueAt(value, path);
  const field = path.length ? String(path[path.length - 1]) : '';
  const detail = (msg: string, at: PropertyKey[] = path, v: unknown = here) =>
    at.length ? `Invalid input for field/attribute ${String(at[at.length - 1])}. Value: ${plain(v)}. ${msg}` : msg;
  const i = issue as unknown as Record<string, unknown>;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = (i.keys as string[]).map((k) => `'${k}'`);
      return fail(detail(`Additional properties are not allowed (${keys.join(', ')} ${keys.length === 1 ? 'was' : 'were'} unexpected)`));
    }
    case 'invalid_type':
      if (here === undefined) {
        const parent = path.slice(0, -1);
        return fail(detail(`'${field}' is a required property`, parent, valueAt(value, parent)));
      }
      return fail(detail(`${repr(here)} is not of type '${JSON_TYPE[String(i.expected)] ?? String(i.expected)}'`));
    case 'too_big':
      if (i.origin === 'string') return fail(detail(`${repr(here)} is too long`));
      if (i.origin === 'array') return fail(detail(`${repr(here)} is too long`));
      if (i.origin === 'object' || i.origin === 'record') return fail(detail(`${repr(here)} has too many properties`));
      return fail(detail(`${repr(here)} is greater than the maximum of ${String(i.maximum)}`));
    case 'too_small':
      if (i.origin === 'string') return fail(detail(`${repr(here)} is too short`));
      if (i.origin === 'array') return fail(detail(`${repr(here)} is too short`));
      return fail(detail(`${repr(here)} is less than the minimum of ${String(i.minimum)}`));
    case 'invalid_value':
      return fail(detail(`${repr(here)} is not one of [${(i.values as unknown[]).map(repr).join(', ')}]`));
    case 'invalid_format':
      return fail(detail(`${repr(here)} does not match '${String(i.pattern ?? i.format)}'`));
    case 'invalid_union':
      if (here === undefined) {
        const parent = path.slice(0, -1);
        return fail(detail(`'${field}' is a required property`, parent, valueAt(value, parent)));
      }
      return fail(detail(`${repr(here)} is not valid under any of the given schemas`));
    default:
      // Nova reports its own format checkers' messages (e.g. invalid names) without the field prefix.
      return fail(i.params && (i.params as { plain?: boolean }).plain ? issue.message : detail(issue.message));
  }
}

function fail(message: string): never {
  throw badRequest(message);
}
