import type { AccessRule } from './delegation-types';
import { invalidInput } from './identity-errors';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Checks a rule the client gave: a service type, an HTTP method and an absolute path glob. */
export function checkAccessRule(r: { service?: string; path?: string; method?: string }): Omit<AccessRule, 'id'> {
  if (typeof r.service !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(r.service)) throw invalidInput('access_rules.service', 'a service type such as compute (lower case, 1..64 characters)');
  if (typeof r.method !== 'string' || !METHODS.includes(r.method)) throw invalidInput('access_rules.method', `one of ${METHODS.join(', ')}`);
  if (typeof r.path !== 'string' || !/^\/[^\s]{0,254}$/.test(r.path)) throw invalidInput('access_rules.path', 'an absolute path such as /v2.1/servers/*/ips (1..255 characters, no spaces)');
  return { service: r.service, path: r.path, method: r.method };
}

// `**` crosses segments, `*` and `{name}` stay within one; everything else is literal.
function pathPattern(glob: string): RegExp {
  const parts = glob.split(/(\*\*|\*|\{[^}/]*\})/);
  const re = parts.map((p) => (p === '**' ? '.*' : p === '*' || /^\{[^}/]*\}$/.test(p) ? '[^/]*' : p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${re}$`);
}

/** The service type and the path within it of a request to DeskStack's API (/compute/v2.1/servers → compute, /v2.1/servers). */
export function serviceCallOf(url: string): { service: string; path: string } | null {
  const path = url.split('?')[0];
  const m = /^\/(identity|compute|image|network)(\/.*)?$/.exec(path);
  return m ? { service: m[1], path: m[2] ?? '/' } : null;
}

/** True when some rule allows this call. */
export function allowedBy(rules: AccessRule[], call: { method: string; url: string }): boolean {
  const target = serviceCallOf(call.url);
  if (!target) return false;
  return rules.some((r) => r.service === target.service && r.method === call.method.toUpperCase() && pathPattern(r.path).test(target.path));
}
