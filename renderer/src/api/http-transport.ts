import type { DeskEvent, InputOf, MethodName, ResultOf } from '../../../main/api/contract/index';
import { openConsoleSocket } from './console-socket';
import { ClientError, isEnvelope } from './errors';
import type { ConnectionState, DeskClient } from './types';

const TOKEN_KEY = 'deskstack.token';

/** The contract over HTTP (POST /api/rpc/:method) and WebSocket (/api/events), for serve mode in a browser. */
export function createHttpClient(base = ''): DeskClient {
  let token: string | null = localStorage.getItem(TOKEN_KEY);
  const listeners = new Set<(e: DeskEvent) => void>();
  const connListeners = new Set<(s: ConnectionState) => void>();
  let socket: WebSocket | null = null;
  let retry = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const setConn = (s: ConnectionState): void => connListeners.forEach((l) => l(s));

  function connect(): void {
    if (socket || !token || listeners.size === 0) return;
    const url = new URL(`${base}/api/events`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    socket = ws;
    setConn('connecting');
    const sent = token;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: sent }));
    ws.onmessage = (m) => {
      let data: unknown;
      try {
        data = JSON.parse(String(m.data));
      } catch {
        return;
      }
      const d = data as { type?: string };
      if (d.type === 'ready') {
        retry = 0;
        setConn('open');
      } else if (d.type !== 'error') listeners.forEach((l) => l(data as DeskEvent));
    };
    ws.onclose = (ev) => {
      socket = null;
      setConn('closed');
      // 4401: the token is no longer valid; reconnecting would not help until the user signs in again.
      if (ev.code === 4401 || !token || listeners.size === 0) return;
      const delay = Math.min(10_000, 500 * 2 ** retry++);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, delay);
    };
  }

  function disconnect(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    socket?.close(1000);
    socket = null;
  }

  return {
    transport: 'http',
    async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>> {
      let res: Response;
      try {
        res = await fetch(`${base}/api/rpc/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new ClientError({ code: 'Unavailable', message: 'Cannot reach the DeskStack server: check that `deskstack serve` is running.' });
      }
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        throw new ClientError(isEnvelope(body) ? body : { code: 'Internal', message: `${method} failed with HTTP ${res.status}.` });
      }
      return body as ResultOf<M>;
    },
    onEvent(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) disconnect();
      };
    },
    onConnection(listener) {
      connListeners.add(listener);
      return () => connListeners.delete(listener);
    },
    setToken(t) {
      token = t;
      if (t) localStorage.setItem(TOKEN_KEY, t);
      else localStorage.removeItem(TOKEN_KEY);
      disconnect();
      if (t) connect();
    },
    openConsole(serverId, kind) {
      return openConsoleSocket(base, serverId, kind, token);
    },
    uploadImage(imageId, file, onProgress) {
      // Glance's own upload route: XHR gives upload progress, which fetch does not.
      return new Promise<void>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('PUT', `${base}/image/v2/images/${encodeURIComponent(imageId)}/file`);
        xhr.setRequestHeader('content-type', 'application/octet-stream');
        if (token) xhr.setRequestHeader('x-auth-token', token);
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) onProgress(e.loaded / e.total);
        };
        xhr.onload = () => {
          if (xhr.status >= 200 && xhr.status < 300) {
            onProgress(1);
            resolve();
            return;
          }
          let message = `Upload failed with HTTP ${xhr.status}.`;
          try {
            const b = JSON.parse(xhr.responseText) as { error?: { message?: string } };
            if (b.error?.message) message = `Upload failed: ${b.error.message}`;
          } catch {
            /* keep the generic message */
          }
          reject(new ClientError({ code: xhr.status === 413 ? 'PayloadTooLarge' : 'BadRequest', message }));
        };
        xhr.onerror = () => reject(new ClientError({ code: 'Unavailable', message: 'Upload interrupted: the server could not be reached.' }));
        xhr.send(file);
      });
    },
  };
}
