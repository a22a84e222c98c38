// Shared pieces of Nova's request schemas (nova/api/validation/parameter_types.py).
import { z } from 'zod';

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

/** Nova accepts integers or their decimal string form for counts. */
export const positiveInt = z.union([z.number().int().min(1), z.string().regex(/^[0-9]*$/).transform(Number)]).pipe(z.number().int().min(1));
export const nonNegativeInt = z.union([z.number().int().min(0), z.string().regex(/^[0-9]*$/).transform(Number)]).pipe(z.number().int().min(0));

/** Metadata: keys 1..255, values 0..255 characters. */
export const metadataSchema = z.record(z.string().min(1).max(255), z.string().max(255));

export const uuidSchema = z.string().regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/);
