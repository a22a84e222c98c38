import type { FastifyInstance } from 'fastify';
import { DeskError } from '../../core/errors';

/** Deeper than any OpenStack body; deeper input is refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 64;

/** Depth of nested arrays/objects, counted without recursion so hostile input cannot overflow the stack. */
export function jsonDepthExceeds(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

/** Parses JSON text and refuses nesting deeper than MAX_JSON_DEPTH; both failures are 400s. */
export function parseBoundedJson(text: string, what = 'the body'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DeskError('BadRequest', `Malformed request body: ${what} is not valid JSON.`);
  }
  if (jsonDepthExceeds(value)) throw new DeskError('BadRequest', `Malformed request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`);
  return value;
}

/**
 * A short JSON rendering of any value for an error message: nesting past `depth` and text past
 * `max` characters are elided, so no input, however deep or large, can overflow or flood it.
 */
export function jsonPreview(value: unknown, max = 300, depth = 6): string {
  let out = '';
  const put = (s: string): boolean => {
    out += s;
    return out.length <= max;
  };
  const walk = (v: unknown, d: number): boolean => {
    if (v === null || typeof v !== 'object') return put(JSON.stringify(v) ?? String(v));
    const isArray = Array.isArray(v);
    if (d >= depth) return put(isArray ? '[...]' : '{...}');
    if (!put(isArray ? '[' : '{')) return false;
    let first = true;
    for (const [k, child] of isArray ? (v as unknown[]).map((c, i) => [String(i), c] as const) : Object.entries(v)) {
      if (!put(first ? '' : ', ') || (!isArray && !put(`${JSON.stringify(k)}: `)) || !walk(child, d + 1)) return false;
      first = false;
    }
    return put(isArray ? ']' : '}');
  };
  walk(value, 0);
  return out.length > max ? out.slice(0, max) + '...' : out;
}

/**
 * application/json bodies: an empty body is no body (Keystone's role grants and Nova's bodyless
 * actions are sent with the header and nothing else), prototype keys are refused as Fastify does,
 * and nesting is bounded.
 */
export function registerJsonBodyParser(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    parseJson(req, text, (err, value) => {
      if (err) return done(new DeskError('BadRequest', 'Malformed request body: the body is not valid JSON.'), undefined);
      if (jsonDepthExceeds(value)) return done(new DeskError('BadRequest', `Malformed request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      done(null, value);
    });
  });
}
