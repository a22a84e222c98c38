// One error type for the whole control plane. It crosses the contract as an envelope
// { code, message, details } and becomes an OpenStack error body at the REST boundary.

export type ErrorCode =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'Conflict'
  | 'OverQuota'
  | 'NoValidHost'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'RequestTimeout'
  | 'HeaderTooLarge'
  | 'NotImplemented'
  | 'Unavailable'
  | 'Internal';

const STATUS: Record<ErrorCode, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  OverQuota: 403,
  NoValidHost: 500,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  RequestTimeout: 408,
  HeaderTooLarge: 431,
  NotImplemented: 501,
  Unavailable: 503,
  Internal: 500,
};

export interface ErrorEnvelope {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return STATUS[this.code];
  }

  toEnvelope(): ErrorEnvelope {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new DeskError('BadRequest', message, details);
export const unauthorized = (message = 'The request you have made requires authentication.') => new DeskError('Unauthorized', message);
export const forbidden = (message: string) => new DeskError('Forbidden', message);
export const notFound = (kind: string, id: string) => new DeskError('NotFound', `${kind} ${id} could not be found.`, { kind, id });
export const conflict = (message: string, details?: Record<string, unknown>) => new DeskError('Conflict', message, details);
export const overQuota = (message: string, details?: Record<string, unknown>) => new DeskError('OverQuota', message, details);

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** Turns anything thrown into an envelope; unknown errors become Internal without leaking their stack. */
export function toEnvelope(err: unknown): ErrorEnvelope {
  if (err instanceof DeskError) return err.toEnvelope();
  return { code: 'Internal', message: err instanceof Error ? err.message : String(err) };
}

/** Rebuilds a DeskError from an envelope (the renderer and clients use this after crossing the contract). */
export function fromEnvelope(env: ErrorEnvelope): DeskError {
  return new DeskError(env.code, env.message, env.details);
}
