// DNS rebinding: a web page can point its own name at 127.0.0.1 and then script a loopback-only
// DeskStack from the user's browser. Such requests carry the page's name in Host, so a server bound
// to loopback answers only Host names that are loopback or the configured public URL's.
import { DeskError } from '../../core/errors';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** True for an address that only this computer can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return LOOPBACK_NAMES.has(h) || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The name part of a Host header: lower-case, without port, brackets or a trailing dot; null when malformed. */
export function hostNameOf(header: string): string | null {
  const h = header.trim().toLowerCase();
  const m = h.startsWith('[') ? /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h) : /^([^:\s/@]+?)\.?(?::\d{1,5})?$/.exec(h);
  return m?.[1] ?? null;
}

/**
 * Checks one request's Host header; throws BadRequest when the server listens on loopback and the
 * name is neither loopback nor the public URL's. A server bound to other addresses is not checked.
 */
export function checkHostHeader(boundHost: string | undefined, publicUrl: string, header: string | undefined): void {
  if (boundHost === undefined || !isLoopbackHost(boundHost)) return;
  const name = header === undefined ? null : hostNameOf(header);
  if (name !== null && isLoopbackHost(name)) return;
  let publicName: string | null = null;
  try {
    publicName = new URL(publicUrl).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  } catch {
    publicName = null;
  }
  if (name !== null && publicName !== null && name === publicName) return;
  const shown = header === undefined ? '(missing)' : header.slice(0, 100);
  throw new DeskError(
    'BadRequest',
    `Host header ${shown} is not allowed: DeskStack listens on loopback; start it with --host/--public-url to serve other names.`,
  );
}
