import { randomBytes, randomUUID } from 'node:crypto';

/** Nova/Glance/Neutron style id: a dashed UUID. */
export const newUuid = (): string => randomUUID();

/** Keystone style id: 32 hex characters, no dashes. */
export const newHexId = (): string => randomUUID().replaceAll('-', '');

/** Opaque random token, URL-safe. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const nowIso = (): string => new Date().toISOString();

/** OpenStack's timestamp style without milliseconds: 2024-01-01T00:00:00Z. */
export const isoSeconds = (d: Date | string | number = new Date()): string =>
  new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
