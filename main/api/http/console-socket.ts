import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { ControlPlane } from '../../control-plane';
import type { RequestContext } from '../../core/context';
import { DeskError, statusOf, toEnvelope, unauthorized } from '../../core/errors';
import { openServerConsole, type OpenedConsole } from '../console/open-console';
import { sessionFromToken } from '../rpc/session';

/** WebSocket path of the live consoles: /api/console/:serverId?kind=serial|vnc. */
export const CONSOLE_PATH = '/api/console';

// Tokens expire and get revoked; an open console re-checks its token this often.
const RECHECK_MS = 30_000;
const AUTH_TIMEOUT_MS = 10_000;
// Pause the console while this much is queued for a slow browser (a VNC frame can be large).
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

const query = z.object({ kind: z.enum(['serial', 'vnc']).default('serial'), token: z.string().min(1).max(4096).optional() });
const params = z.object({ serverId: z.string().min(1).max(255) });

/** 4000 + the HTTP status of the error, so the browser can tell refused (4403/4404) from unavailable (4503). */
const closeCodeOf = (err: unknown): number => 4000 + statusOf(toEnvelope(err).code);

/**
 * The live console bridge: text frames carry control messages ({"type":"auth","token"} from the
 * browser; {"type":"ready"} or {"type":"error","error":envelope} from us), binary frames carry the
 * console's bytes both ways. Auth is the same Keystone token as /api/events (first message or
 * ?token=); the server must be visible to the token's project. Registered inside the bridge's
 * plugin, which owns @fastify/websocket.
 */
export function registerConsoleSocket(s: FastifyInstance, cp: ControlPlane, prefix: string): void {
  s.get(`${CONSOLE_PATH.slice(prefix.length)}/:serverId`, { websocket: true }, (socket: WebSocket, req: FastifyRequest) => {
    let session: RequestContext | null = null;
    let stream: Duplex | null = null;
    let closed = false;
    let recheck: NodeJS.Timeout | null = null;

    const close = (code: number, reason: string): void => {
      if (closed) return;
      closed = true;
      clearTimeout(authTimer);
      if (recheck) clearInterval(recheck);
      stream?.destroy();
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason.slice(0, 120));
    };
    const fail = (err: unknown): void => {
      const env = err instanceof DeskError ? toEnvelope(err) : { code: 'Internal' as const, message: 'The console could not be opened; see the control plane log.' };
      if (!(err instanceof DeskError)) cp.log.error({ err }, 'console bridge failed unexpectedly');
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'error', error: env }));
      close(closeCodeOf(err), env.code);
    };

    const p = params.safeParse(req.params);
    const q = query.safeParse(req.query ?? {});
    const authTimer = setTimeout(() => fail(unauthorized('Send {"type":"auth","token":...} first.')), AUTH_TIMEOUT_MS);
    authTimer.unref();
    if (!p.success || !q.success) {
      fail(new DeskError('BadRequest', 'Use /api/console/SERVER_ID?kind=serial or ?kind=vnc.'));
      return;
    }
    const { serverId } = p.data;
    const { kind } = q.data;

    const pipe = (s: Duplex): void => {
      stream = s;
      let queued = 0;
      s.on('data', (chunk: Buffer | string) => {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        if (socket.readyState !== socket.OPEN) return;
        queued += buf.length;
        if (queued > HIGH_WATER_BYTES) s.pause();
        socket.send(buf, { binary: true }, () => {
          queued -= buf.length;
          if (queued <= HIGH_WATER_BYTES / 2 && s.isPaused()) s.resume();
        });
      });
      s.on('end', () => close(1000, 'console ended'));
      s.on('close', () => close(1000, 'console ended'));
      s.on('error', (err: Error) => fail(err instanceof DeskError ? err : new DeskError('Unavailable', `The ${kind} console connection failed: ${err.message}. Reopen the console to retry.`)));
    };

    const start = async (token: string): Promise<void> => {
      try {
        session = sessionFromToken(cp, token);
      } catch (err) {
        fail(err);
        return;
      }
      clearTimeout(authTimer);
      recheck = setInterval(() => {
        try {
          session = sessionFromToken(cp, token);
        } catch (err) {
          fail(err);
        }
      }, RECHECK_MS);
      recheck.unref();
      let opened: OpenedConsole;
      try {
        opened = await openServerConsole(cp, session, serverId, kind);
      } catch (err) {
        fail(err);
        return;
      }
      if (closed) {
        opened.stream.destroy();
        return;
      }
      socket.send(JSON.stringify({ type: 'ready', kind }));
      if (opened.preamble.length) socket.send(opened.preamble, { binary: true });
      pipe(opened.stream);
    };

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (closed) return;
      if (stream) {
        // Browser → console: only binary frames are console bytes; text frames are control messages.
        if (!isBinary) return;
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        if (!stream.write(buf)) {
          socket.pause();
          stream.once('drain', () => socket.resume());
        }
        return;
      }
      if (session) return; // still opening: drop keystrokes that raced ahead of "ready"
      let msg: { type?: unknown; token?: unknown } | null;
      try {
        msg = isBinary ? null : (JSON.parse(String(data)) as { type?: unknown; token?: unknown } | null);
      } catch {
        msg = null;
      }
      if (msg && msg.type === 'auth' && typeof msg.token === 'string' && msg.token.length > 0 && msg.token.length <= 4096) void start(msg.token);
      else fail(new DeskError('BadRequest', 'The first message must be {"type":"auth","token":"..."}.'));
    });
    socket.on('close', () => close(1000, 'browser closed'));
    socket.on('error', () => close(1011, 'socket error'));

    if (q.data.token) void start(q.data.token);
  });
}
