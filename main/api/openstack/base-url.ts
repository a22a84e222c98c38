import type { FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../control-plane';

/** Base URL for links: cp.publicUrl once serve knows its port, else what the client dialled (Host header). */
export function baseUrl(req: FastifyRequest, cp: ControlPlane): string {
  let port = '';
  try {
    port = new URL(cp.publicUrl).port;
  } catch {
    port = '0';
  }
  if (port !== '0' && cp.publicUrl) return cp.publicUrl.replace(/\/+$/, '');
  const host = typeof req.headers.host === 'string' && /^[A-Za-z0-9.\-:[\]]{1,300}$/.test(req.headers.host) ? req.headers.host : '127.0.0.1';
  return `${req.protocol}://${host}`;
}

/** Keystone's collection `links.self`: the URL that was asked for. */
export function selfUrl(req: FastifyRequest, cp: ControlPlane): string {
  return baseUrl(req, cp) + req.url;
}
