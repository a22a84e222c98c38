import { invalidInput } from './identity-errors';

// ISO 8601 as clients send it: date, time, optional fraction (any digits), optional Z or ±hh:mm.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a client's expiry into a canonical UTC string with microseconds ("2030-01-01T12:00:00.123456Z"),
 * keeping the microseconds a JavaScript Date would drop; anything else is a 400 naming the field.
 */
export function parseTimestamp(field: string, value: string): string {
  const m = ISO.exec(value.trim());
  const ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${offsetOf(m[8])}`) : NaN;
  if (!m || !Number.isFinite(ms)) throw invalidInput(field, `${JSON.stringify(value.slice(0, 64))} is not an ISO 8601 timestamp such as 2030-01-01T12:00:00Z`);
  const micros = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${micros}Z`);
}

const offsetOf = (z: string | undefined): string => (!z || z.toUpperCase() === 'Z' ? 'Z' : z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z);

/** Milliseconds since the epoch of a canonical timestamp. */
export const timestampMs = (canonical: string): number => Date.parse(canonical.replace(/(\.\d{3})\d*Z$/, '$1Z'));

/** True when a canonical expiry (null: never) has passed. */
export const expired = (canonical: string | null, now: number): boolean => canonical !== null && timestampMs(canonical) <= now;
