// Shared pieces of Nova's request schemas (nova/api/validation/parameter_types.py).
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { MAX_TAG_COUNT, MAX_TAG_LENGTH } from '../../../compute/server-tags';
import { repr } from './validate';

const PRINTABLE_NO_EDGE_SPACE = /^(?!\s)[^\p{C}]*(?<!\s)$/u;

/** A resource name: 1..255 printable characters, no leading or trailing whitespace. */
export const nameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((v) => PRINTABLE_NO_EDGE_SPACE.test(v), {
    message: "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
    params: { plain: true },
  });

export const descriptionSchema = z.union([z.null(), z.string().max(255).refine((v) => /^[^\p{Cc}]*$/u.test(v) || /^[\t\n\r -\uFFFF]*$/.test(v), { message: 'invalid description' })]);

/**
 * Nova's ['integer', 'string'] numbers: a string must match `pattern`, and minimum/maximum apply to
 * the value either way (Nova's validator converts strings first), in jsonschema's words.
 */
export function integerLike(opts: { min: number; max?: number; pattern?: RegExp }) {
  const pattern = opts.pattern ?? /^[0-9]*$/;
  return z.unknown().transform((v, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (v === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'number', input: v });
      return z.NEVER;
    }
    if (typeof v === 'string') {
      if (!pattern.test(v)) return fail(`${repr(v)} does not match '${pattern.source}'`);
      if (v === '') return fail("'' is too short");
    } else if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`${repr(v)} is not of type 'integer', 'string'`);
    const n = Number(v);
    if (n < opts.min) return fail(`${n} is less than the minimum of ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) return fail(`${n} is greater than the maximum of ${opts.max}`);
    return n;
  });
}

/** Nova accepts integers or their decimal string form for counts. */
export const positiveInt = integerLike({ min: 1 });
export const nonNegativeInt = integerLike({ min: 0 });

/** A string in one of jsonschema's formats, refused in Nova's words ("'x' is not a 'ipv4'"). */
const formatted = (format: string, ok: (v: string) => boolean) =>
  z.string().superRefine((v, ctx) => {
    if (!ok(v)) ctx.addIssue({ code: 'custom', message: `${repr(v)} is not a '${format}'` });
  });

export const ipv4Schema = formatted('ipv4', (v) => isIPv4(v));
export const ipv6Schema = formatted('ipv6', (v) => isIPv6(v));

/** A server tag (parameter_types.tag): 1..60 characters, no ',' or '/'. */
export const tagSchema = z.string().min(1).max(MAX_TAG_LENGTH).regex(/^[^,/]*$/);
export const tagListSchema = z.array(tagSchema).max(MAX_TAG_COUNT);

/** A guest hostname as 2.90 takes it (parameter_types.hostname). */
export const hostnameSchema = z.string().min(2).max(63).regex(/^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$/);

/** A host or node name (parameter_types.fqdn). */
export const fqdnSchema = z.string().min(1).max(255).regex(/^[a-zA-Z0-9-._]*$/);

/** Metadata: keys 1..255, values 0..255 characters. */
export const metadataSchema = z.record(z.string().min(1).max(255), z.string().max(255));

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
export const uuidSchema = z.string().regex(UUID);
/** A UUID refused in Nova's words for its 'uuid' format ("'x' is not a 'uuid'"). */
export const uuidFormat = formatted('uuid', (v) => UUID.test(v));

const TRUE = ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes'] as const;
const FALSE = ['False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'] as const;
/** Nova's parameter_types.boolean: a JSON boolean or one of its spellings as a string. */
export const novaBoolean = z.union([z.boolean(), z.enum([...TRUE, ...FALSE])]).transform((v) => v === true || (TRUE as readonly unknown[]).includes(v));
