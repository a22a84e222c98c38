// A console opened through the preload (MessagePort to the main process), dressed as a WebSocket
// so xterm.js and noVNC use it exactly like the serve mode's socket.
import type { ConsoleChannel, ConsoleKind } from './console-socket';
import { asClientError, ClientError } from './errors';
import type { ConsoleControl, DeskstackBridge } from './types';

const OPEN = 1;
const CLOSED = 3;

class IpcConsoleChannel implements ConsoleChannel {
  readyState = OPEN;
  readonly protocol = '';
  binaryType: BinaryType = 'arraybuffer';
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  control: ConsoleControl | null = null;
  /** Bytes that arrived before a reader was attached; delivered on the first onmessage. */
  private early: Uint8Array[] = [];

  deliver(bytes: Uint8Array): void {
    if (!this.onmessage) {
      this.early.push(bytes);
      queueMicrotask(() => this.drain());
      return;
    }
    this.drain();
    this.onmessage(new MessageEvent('message', { data: bytes.slice().buffer }));
  }

  private drain(): void {
    if (!this.onmessage || !this.early.length) return;
    const early = this.early;
    this.early = [];
    for (const b of early) this.onmessage(new MessageEvent('message', { data: b.slice().buffer }));
  }

  ended(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.drain();
    this.readyState = CLOSED;
    this.onclose?.(new CloseEvent('close', { code, reason, wasClean: code === 1000 }));
  }

  send(data: ArrayBuffer | Uint8Array | string): void {
    if (this.readyState !== OPEN) return;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data instanceof Uint8Array ? data : new Uint8Array(data);
    this.control?.send(bytes);
  }

  close(): void {
    this.control?.close();
    this.ended(1000, 'closed');
  }
}

export async function openIpcConsole(bridge: DeskstackBridge, serverId: string, kind: ConsoleKind): Promise<ConsoleChannel> {
  if (!bridge.openConsole) {
    throw new ClientError({ code: 'NotImplemented', message: 'This build of the app cannot open live consoles; use the console log, or open the console from `deskstack serve` in a browser.' });
  }
  const channel = new IpcConsoleChannel();
  try {
    channel.control = await bridge.openConsole(serverId, kind, {
      onData: (bytes) => channel.deliver(bytes),
      onClose: (code, reason) => channel.ended(code, reason),
    });
  } catch (err) {
    throw asClientError(err);
  }
  return channel;
}
