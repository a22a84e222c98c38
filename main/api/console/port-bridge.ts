// The app's live consoles: the same openServerConsole as the WebSocket bridge, carried over an
// Electron MessagePort (the renderer's window is the credential, as for contract calls over IPC).
// Typed structurally, so this file stays free of electron; main/electron hands in MessagePortMain.
import type { ControlPlane } from '../../control-plane';
import type { RequestContext } from '../../core/context';
import { DeskError, toEnvelope } from '../../core/errors';
import { isConsoleKind, openServerConsole } from './open-console';

/** IPC channel on which the renderer posts { serverId, kind } with one MessagePort. */
export const CONSOLE_CHANNEL = 'deskstack:console';

/** What main/electron's MessagePortMain offers. */
export interface ConsolePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** Messages on the port: renderer → main `data` / `close`; main → renderer `ready` / `error` / `data` / `end`. */
export type ConsolePortMessage =
  | { type: 'ready' }
  | { type: 'error'; error: ReturnType<typeof toEnvelope> }
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'end'; code: number; reason: string }
  | { type: 'close' };

const MAX_ID = 255;

/** Opens the requested console and pipes it through the port until either side closes. */
export async function serveConsolePort(cp: ControlPlane, session: RequestContext, port: ConsolePort, request: unknown): Promise<void> {
  const post = (m: ConsolePortMessage): void => port.postMessage(m);
  const req = (request ?? {}) as { serverId?: unknown; kind?: unknown };
  port.start();
  if (typeof req.serverId !== 'string' || req.serverId.length === 0 || req.serverId.length > MAX_ID || !isConsoleKind(req.kind)) {
    post({ type: 'error', error: toEnvelope(new DeskError('BadRequest', 'Open a console with { serverId, kind: "serial" | "vnc" }.')) });
    port.close();
    return;
  }
  let ended = false;
  let opened: Awaited<ReturnType<typeof openServerConsole>> | undefined;
  // Listen before the (slow) open: a window closed meanwhile must not leave the console stream behind.
  port.on('close', () => {
    ended = true;
    opened?.stream.destroy();
  });
  try {
    opened = await openServerConsole(cp, session, req.serverId, req.kind);
  } catch (err) {
    if (!(err instanceof DeskError)) cp.log.error({ err }, 'console over IPC failed unexpectedly');
    post({ type: 'error', error: err instanceof DeskError ? toEnvelope(err) : { code: 'Internal', message: 'The console could not be opened; see the control plane log.' } });
    port.close();
    return;
  }
  const { stream } = opened;
  if (ended) {
    stream.destroy(); // the port closed while the console opened
    return;
  }
  const end = (code: number, reason: string): void => {
    if (ended) return;
    ended = true;
    stream.destroy();
    post({ type: 'end', code, reason });
    port.close();
  };
  port.on('message', (e) => {
    const m = e.data as { type?: unknown; bytes?: unknown };
    if (m?.type === 'data' && m.bytes instanceof Uint8Array) stream.write(Buffer.from(m.bytes));
    else if (m?.type === 'close') end(1000, 'closed by the window');
  });
  post({ type: 'ready' });
  if (opened.preamble.length) post({ type: 'data', bytes: new Uint8Array(opened.preamble) });
  stream.on('data', (chunk: Buffer | string) => {
    if (!ended) post({ type: 'data', bytes: new Uint8Array(typeof chunk === 'string' ? Buffer.from(chunk) : chunk) });
  });
  stream.on('end', () => end(1000, 'console ended'));
  stream.on('error', (err: Error) => end(1011, `console connection failed: ${err.message}`));
}
