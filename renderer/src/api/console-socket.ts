// Live consoles over the bridge's WebSocket (/api/console/:id): text frames are control messages,
// binary frames are the console's bytes. The socket is handed over only once the server said "ready",
// so xterm.js and noVNC see nothing but console bytes.
import type { ErrorEnvelope } from '../../../main/api/contract/index';
import { ClientError, isEnvelope } from './errors';

export type ConsoleKind = 'serial' | 'vnc';

/** What xterm.js and noVNC need of a console connection: a WebSocket, or an object shaped like one (IPC). */
export interface ConsoleChannel {
  readonly readyState: number;
  readonly protocol: string;
  binaryType: BinaryType;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: ArrayBuffer | Uint8Array | string): void;
  close(code?: number, reason?: string): void;
}

const CLOSE_REASON: Record<number, ErrorEnvelope['code']> = { 4400: 'BadRequest', 4401: 'Unauthorized', 4403: 'Forbidden', 4404: 'NotFound', 4409: 'Conflict', 4503: 'Unavailable' };

/** Opens and authenticates a console socket; rejects with the server's error envelope when refused. */
export function openConsoleSocket(base: string, serverId: string, kind: ConsoleKind, token: string | null): Promise<ConsoleChannel> {
  const url = new URL(`${base}/api/console/${encodeURIComponent(serverId)}`, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('kind', kind);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let error: ErrorEnvelope | null = null;
    let settled = false;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: token ?? '' }));
    ws.onmessage = (m) => {
      if (typeof m.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(m.data);
      } catch {
        return;
      }
      const d = msg as { type?: string; error?: unknown };
      if (d.type === 'error' && isEnvelope(d.error)) error = d.error;
      else if (d.type === 'ready' && !settled) {
        settled = true;
        ws.onmessage = ws.onclose = ws.onerror = null;
        resolve(ws);
      }
    };
    ws.onclose = (ev) => {
      if (settled) return;
      settled = true;
      reject(new ClientError(error ?? { code: CLOSE_REASON[ev.code] ?? 'Unavailable', message: `The ${kind} console closed before it was ready (code ${ev.code}); check that the server is running, then retry.` }));
    };
    ws.onerror = () => {
      /* onclose follows with the reason */
    };
  });
}
