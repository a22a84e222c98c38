import type { ErrorCode, ErrorEnvelope } from '../../../main/api/contract/index';

/** An error that crossed the contract: keeps the envelope's code and details for the UI. */
export class ClientError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(env: ErrorEnvelope) {
    super(env.message);
    this.name = 'ClientError';
    this.code = env.code;
    this.details = env.details;
  }
}

export function isEnvelope(v: unknown): v is ErrorEnvelope {
  return typeof v === 'object' && v !== null && typeof (v as ErrorEnvelope).code === 'string' && typeof (v as ErrorEnvelope).message === 'string';
}

/** Any thrown value as a ClientError, so every screen can show `code` and `message`. */
export function asClientError(err: unknown): ClientError {
  if (err instanceof ClientError) return err;
  if (isEnvelope(err)) return new ClientError(err);
  return new ClientError({ code: 'Unavailable', message: err instanceof Error ? err.message : String(err) });
}
