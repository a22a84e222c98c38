import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { DeskError } from '../../core/errors';
import { sendError } from '../openstack/errors';

/** No external origins: the UI works offline and injected markup cannot load or send anything. */
export const UI_CSP =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'";

const API_PREFIXES = ['/api/', '/identity', '/compute', '/image', '/network'];

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the built renderer at / with a strict CSP. Files are looked up per request (a rebuilt UI
 * is picked up without a restart); other non-API page loads get index.html (SPA fallback).
 */
export async function registerStaticUi(app: FastifyInstance, uiDir: string): Promise<void> {
  const root = resolve(uiDir);
  await app.register(async (s) => {
    s.addHook('onSend', async (_req, reply, payload) => {
      reply.header('Content-Security-Policy', UI_CSP);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Referrer-Policy', 'no-referrer');
      return payload;
    });
    await s.register(fastifyStatic, { root, serve: false });
    s.get('/*', async (req, reply) => {
      const path = req.url.split('?')[0];
      if (API_PREFIXES.some((p) => path.startsWith(p))) return sendError(req, reply, new DeskError('NotFound', `The resource could not be found: GET ${path}`));
      let rel: string;
      try {
        rel = decodeURIComponent(path);
      } catch {
        return sendError(req, reply, new DeskError('BadRequest', 'The path is not valid URL encoding.'));
      }
      const file = normalize(join(root, rel));
      // Refuse anything that climbs out of the UI folder.
      if (file !== root && !file.startsWith(root + sep)) return sendError(req, reply, new DeskError('NotFound', `The resource could not be found: GET ${path}`));
      if (file !== root && (await isFile(file))) {
        if (rel.startsWith('/assets/')) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
        return reply.sendFile(file.slice(root.length + 1));
      }
      if (path === '/' || (req.headers.accept ?? '').includes('text/html')) {
        reply.header('Cache-Control', 'no-cache');
        return reply.type('text/html; charset=utf-8').sendFile('index.html');
      }
      return sendError(req, reply, new DeskError('NotFound', `The resource could not be found: GET ${path}`));
    });
  });
}
