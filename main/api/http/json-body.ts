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
