import pino, { type Logger } from 'pino';

// Keys whose values never reach a log line, wherever they appear.
const SECRET_KEYS = ['password', 'adminPassword', 'token', 'privateKey', 'private_key', 'secret', 'authorization', 'x-auth-token', 'x-subject-token'];

const redactPaths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers["${k}"]`]);

export function createLogger(level = process.env.DESKSTACK_LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { app: 'deskstack' }, redact: { paths: redactPaths, censor: '[redacted]' } }, destination as never);
}

export type { Logger };
