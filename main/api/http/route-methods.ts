// Which methods a path has, so a known path asked with the wrong method gets 405 and an Allow
// header, as Keystone, Nova, Glance and Neutron answer, instead of the router's 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DeskError } from '../../core/errors';

interface KnownRoute {
  pattern: RegExp;
  methods: Set<string>;
}

/** A Fastify route path ("/servers/:id", "/files/*") as an anchored regular expression. */
function patternOf(url: string): RegExp {
  const body = url
    .split('/')
    .map((seg) => {
      if (seg === '*') return '.*';
      if (seg.startsWith(':')) return '[^/]+';
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${body}$`);
}

export class RouteMethods {
  private readonly byUrl = new Map<string, KnownRoute>();

  /** Records every route added from now on; register before the routes. */
  watch(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      // A catch-all (the UI's SPA fallback) would make every path "known"; it decides its own 404s.
      if (route.url === '/*' || route.url.endsWith('/*')) return;
      let known = this.byUrl.get(route.url);
      if (!known) {
        known = { pattern: patternOf(route.url), methods: new Set() };
        this.byUrl.set(route.url, known);
      }
      for (const m of [route.method].flat()) known.methods.add(m.toUpperCase());
    });
  }

  /** The methods the path answers to, sorted; empty when no route has this path. */
  allowed(path: string): string[] {
    const out = new Set<string>();
    for (const r of this.byUrl.values()) if (r.pattern.test(path)) for (const m of r.methods) out.add(m);
    return [...out].sort();
  }
}

/** The error for a request no route took: 405 with an Allow header when the path has other methods, else 404. */
export function notFoundOrWrongMethod(routes: RouteMethods, method: string, url: string, reply: FastifyReply): DeskError {
  const path = url.split('?')[0];
  const allowed = routes.allowed(path);
  if (allowed.length === 0) return new DeskError('NotFound', `The resource could not be found: ${method} ${path}`);
  reply.header('Allow', allowed.join(', '));
  return new DeskError('MethodNotAllowed', `The method ${method} is not allowed for ${path}; it takes ${allowed.join(', ')}.`, { allowed });
}
