import type { DeskEvent, InputOf, MethodName, ResultOf } from '../../../main/api/contract/index';
import type { ConsoleChannel, ConsoleKind } from './console-socket';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The one client every screen uses; the transport (IPC in the app, HTTP+WebSocket in a browser) is hidden. */
export interface DeskClient {
  readonly transport: 'ipc' | 'http';
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>>;
  /** Starts receiving pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: DeskEvent) => void): () => void;
  /** Called on (re)connect of the event stream: stores reload what they might have missed. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** HTTP transport: the Keystone token to send; the app's IPC transport ignores it. */
  setToken(token: string | null): void;
  /** Uploads an image's bytes, reporting progress 0..1 where the transport can. */
  uploadImage(imageId: string, file: File, onProgress: (fraction: number) => void): Promise<void>;
  /** A live console of a server, once the control plane has attached it; rejects with the reason it cannot. */
  openConsole(serverId: string, kind: ConsoleKind): Promise<ConsoleChannel>;
}

/** What the preload exposes as window.deskstack (see preload/index.ts). */
export interface DeskstackBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
  /** Live console over a MessagePort (absent in older preloads). */
  openConsole?(serverId: string, kind: ConsoleKind, sink: ConsoleSink): Promise<ConsoleControl>;
}

/** Where the preload delivers a console's bytes and its end. */
export interface ConsoleSink {
  onData(bytes: Uint8Array): void;
  onClose(code: number, reason: string): void;
}

/** The renderer's handle on a console opened through the preload. */
export interface ConsoleControl {
  send(bytes: Uint8Array): void;
  close(): void;
}

declare global {
  interface Window {
    deskstack?: DeskstackBridge;
  }
}
