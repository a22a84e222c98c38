import type { FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { baseUrl } from '../base-url';

/** Nova's self (versioned) and bookmark (unversioned) links for a resource path like "servers/ID". */
export function links(req: FastifyRequest, cp: ControlPlane, path: string): Array<{ rel: string; href: string }> {
  const base = `${baseUrl(req, cp)}/compute`;
  return [
    { rel: 'self', href: `${base}/v2.1/${path}` },
    { rel: 'bookmark', href: `${base}/${path}` },
  ];
}

export function bookmark(req: FastifyRequest, cp: ControlPlane, path: string): Array<{ rel: string; href: string }> {
  return [{ rel: 'bookmark', href: `${baseUrl(req, cp)}/compute/${path}` }];
}

/** The "next" link of a full page, carrying the query the client sent with the new marker. */
export function nextLink(req: FastifyRequest, cp: ControlPlane, path: string, marker: string): Array<{ rel: string; href: string }> {
  const q = new URLSearchParams((req.query ?? {}) as Record<string, string>);
  q.set('marker', marker);
  return [{ rel: 'next', href: `${baseUrl(req, cp)}/compute/v2.1/${path}?${q.toString()}` }];
}

/** Nova's timestamp style for *_at fields: no zone, microseconds ("2024-01-01T00:00:00.000000"). */
export const novaTime = (iso: string | null): string | null => (iso ? iso.replace(/Z$/, '').replace(/\.(\d{3})$/, '.$1000') : null);

/** Nova's style for created/updated: seconds and Z. */
export const isoZ = (iso: string): string => iso.replace(/\.\d{3}Z$/, 'Z');
