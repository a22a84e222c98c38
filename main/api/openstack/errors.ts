import type { FastifyReply, FastifyRequest } from 'fastify';
import { DeskError, type ErrorCode } from '../../core/errors';
import type { Logger } from '../../core/log';

/** Each OpenStack service words its error bodies differently; clients parse them strictly. */
export type ErrorStyle = 'keystone' | 'nova' | 'glance' | 'neutron' | 'plain';

const NOVA_KEY: Partial<Record<ErrorCode, string>> = {
  BadRequest: 'badRequest',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'itemNotFound',
  MethodNotAllowed: 'badMethod',
  Conflict: 'conflictingRequest',
  OverQuota: 'forbidden',
  PayloadTooLarge: 'badRequest',
  UnsupportedMediaType: 'badMediaType',
  NotImplemented: 'notImplemented',
  Unavailable: 'serviceUnavailable',
  NoValidHost: 'computeFault',
  Internal: 'computeFault',
};

const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

const NEUTRON_TYPE: Partial<Record<ErrorCode, string>> = {
  BadRequest: 'HTTPBadRequest',
  NotFound: 'HTTPNotFound',
  MethodNotAllowed: 'HTTPMethodNotAllowed',
  Conflict: 'Conflict',
  Forbidden: 'HTTPForbidden',
  Unauthorized: 'HTTPUnauthorized',
  RequestTimeout: 'HTTPRequestTimeout',
  HeaderTooLarge: 'HTTPRequestHeaderFieldsTooLarge',
};

export function errorStyleFor(url: string): ErrorStyle {
  if (url.startsWith('/identity')) return 'keystone';
  if (url.startsWith('/compute')) return 'nova';
  if (url.startsWith('/image')) return 'glance';
  if (url.startsWith('/network')) return 'neutron';
  return 'plain';
}

/** The body OpenStack's service would send for this error. */
export function openstackErrorBody(style: ErrorStyle, err: DeskError): unknown {
  const status = err.status;
  switch (style) {
    case 'nova':
      // keystonemiddleware answers 401 for Nova too, in Keystone's shape.
      if (status === 401) return { error: { code: 401, title: 'Unauthorized', message: err.message } };
      return { [NOVA_KEY[err.code] ?? 'computeFault']: { code: status, message: err.message } };
    case 'neutron':
      return { NeutronError: { type: err.details?.type ?? NEUTRON_TYPE[err.code] ?? 'HTTPError', message: err.message, detail: '' } };
    case 'glance':
    case 'keystone':
    case 'plain':
    default:
      return { error: { code: status, title: TITLE[status] ?? 'Error', message: err.message } };
  }
}

/** Maps framework errors (bad JSON, body too large, wrong media type) onto DeskErrors. */
export function normalizeError(err: unknown): DeskError {
  if (err instanceof DeskError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  const status = e?.statusCode ?? 500;
  const msg = e?.message ?? 'Unexpected error';
  if (status === 413 || e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new DeskError('PayloadTooLarge', 'Request body is too large.');
  if (status === 415 || e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new DeskError('UnsupportedMediaType', `Unsupported Content-Type: ${msg}`);
  if (e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError)
    return new DeskError('BadRequest', 'Malformed request body: the body is not valid JSON.');
  if (status === 404) return new DeskError('NotFound', msg);
  if (status === 405) return new DeskError('MethodNotAllowed', msg);
  if (status >= 400 && status < 500) return new DeskError('BadRequest', msg);
  return new DeskError('Internal', 'Unexpected error in the control plane; see the log for details.');
}

/**
 * Logs a failure the client only sees as "unexpected error; see the log": the error, method and path,
 * never the body, the query string or headers (they carry passwords and tokens).
 */
export function logUnexpected(log: Logger | undefined, req: FastifyRequest, err: unknown, extra: Record<string, unknown> = {}): void {
  if (!log || err instanceof DeskError || normalizeError(err).code !== 'Internal') return;
  log.error({ err, method: req.method, url: req.url.split('?')[0], requestId: req.requestId, ...extra }, 'request failed unexpectedly');
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: unknown, log?: Logger): FastifyReply {
  const de = normalizeError(err);
  const style = errorStyleFor(req.url);
  logUnexpected(log, req, err);
  if (de.status === 401) reply.header('WWW-Authenticate', `Keystone uri="${req.protocol}://${req.headers.host ?? ''}/identity"`);
  return reply.code(de.status).type('application/json').send(openstackErrorBody(style, de));
}
