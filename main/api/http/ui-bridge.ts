import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { ControlPlane } from '../../control-plane';
import type { RequestContext } from '../../core/context';
import { DeskError, statusOf, toEnvelope, unauthorized } from '../../core/errors';
import { access, RPC_PATH, EVENTS_PATH } from '../contract/index';
import { dispatch, isMethodName } from '../rpc/dispatch';
import { canSee } from '../rpc/event-filter';
import { sessionFromToken } from '../rpc/session';
import { logUnexpected, normalizeError } from '../openstack/errors';
import { registerConsoleSocket } from './console-socket';
import { notFoundOrWrongMethod, type RouteMethods } from './route-methods';

// A socket whose client cannot keep up is dropped; the client reconnects and reloads its stores.
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
// Tokens expire and get revoked; an open socket re-checks its token this often.
const RECHECK_MS = 30_000;
// A socket that never authenticates is closed after this long.
const AUTH_TIMEOUT_MS = 10_000;

function sendEnvelope(reply: FastifyReply, err: unknown): FastifyReply {
  const de = err instanceof DeskError ? err : normalizeError(err);
  const env = toEnvelope(de);
  return reply.code(statusOf(env.code)).type('application/json').send(env);
}

function tokenOf(req: FastifyRequest): string | null {
  const t = req.headers['x-auth-token'];
  return typeof t === 'string' && t.length > 0 && t.length <= 4096 ? t : null;
}

/**
 * The UI contract over HTTP for serve mode: POST /api/rpc/:method (JSON in, JSON out; errors as
 * the envelope { code, message, details } with the matching status) and GET /api/events, a
 * WebSocket that pushes the DeskEvents the session may see, and GET /api/console/:serverId, the live
 * consoles (console-socket.ts). All take the REST API's Keystone tokens.
 */
export async function registerUiBridge(app: FastifyInstance, cp: ControlPlane, routes: RouteMethods): Promise<void> {
  await app.register(async (s) => {
    await s.register(websocket, { options: { maxPayload: 64 * 1024 } });
    s.setErrorHandler((err, req, reply) => {
      const method = (req.params as { method?: unknown } | undefined)?.method;
      logUnexpected(cp.log, req, err, typeof method === 'string' ? { rpcMethod: method.slice(0, 80) } : {});
      return sendEnvelope(reply, err);
    });
    s.setNotFoundHandler((req, reply) => {
      const err = notFoundOrWrongMethod(routes, req.method, req.url, reply);
      return sendEnvelope(reply, err.code === 'NotFound' ? new DeskError('NotFound', `No UI contract route at ${req.method} ${req.url.split('?')[0]}.`) : err);
    });

    s.post<{ Params: { method: string } }>(`${RPC_PATH.slice(4)}/:method`, async (req, reply) => {
      const { method } = req.params;
      const token = tokenOf(req);
      let session: RequestContext | null = null;
      if (token && isMethodName(method) && access[method] !== 'public') session = sessionFromToken(cp, token, req.requestId);
      else if (token && isMethodName(method)) {
        // Public methods work without a session; a stale token there is simply ignored.
        try {
          session = sessionFromToken(cp, token, req.requestId);
        } catch {
          session = null;
        }
      }
      const result = await dispatch(cp, session, method, req.body ?? {}, { token });
      return reply.code(200).type('application/json').send(JSON.stringify(result));
    });

    s.get(`${EVENTS_PATH.slice(4)}`, { websocket: true }, (socket: WebSocket, req: FastifyRequest) => {
      let session: RequestContext | null = null;
      let token: string | null = null;
      let unsubscribe: (() => void) | null = null;
      let recheck: NodeJS.Timeout | null = null;

      const fail = (err: unknown, closeCode: number): void => {
        socket.send(JSON.stringify({ type: 'error', error: toEnvelope(err) }));
        socket.close(closeCode, 'unauthorized');
      };
      const start = (t: string): void => {
        try {
          session = sessionFromToken(cp, t);
        } catch (err) {
          fail(err, 4401);
          return;
        }
        token = t;
        clearTimeout(authTimer);
        socket.send(JSON.stringify({ type: 'ready' }));
        unsubscribe = cp.bus.subscribe((event) => {
          if (!session || !canSee(session, event)) return;
          if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
            socket.close(1013, 'client too slow; reconnect and reload');
            return;
          }
          socket.send(JSON.stringify(event));
        });
        recheck = setInterval(() => {
          try {
            session = sessionFromToken(cp, token!);
          } catch (err) {
            fail(err, 4401);
          }
        }, RECHECK_MS);
        recheck.unref();
      };
      const authTimer = setTimeout(() => fail(unauthorized('Send {"type":"auth","token":...} first.'), 4401), AUTH_TIMEOUT_MS);
      authTimer.unref();

      const q = (req.query ?? {}) as Record<string, unknown>;
      if (typeof q.token === 'string' && q.token.length > 0) start(q.token);

      socket.on('message', (data: Buffer) => {
        if (session) return;
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          fail(new DeskError('BadRequest', 'The first message must be JSON: {"type":"auth","token":"..."}.'), 4400);
          return;
        }
        const m = msg as { type?: unknown; token?: unknown };
        if (m?.type === 'auth' && typeof m.token === 'string' && m.token.length > 0 && m.token.length <= 4096) start(m.token);
        else fail(new DeskError('BadRequest', 'The first message must be {"type":"auth","token":"..."}.'), 4400);
      });
      socket.on('close', () => {
        clearTimeout(authTimer);
        if (recheck) clearInterval(recheck);
        unsubscribe?.();
      });
    });

    registerConsoleSocket(s, cp, '/api');
  }, { prefix: '/api' });
}
