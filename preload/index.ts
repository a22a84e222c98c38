// Runs in the renderer's isolated world: exposes the UI contract as window.deskstack, and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DeskEvent, ErrorEnvelope, EVENT_CHANNEL as EventChannel, RPC_CHANNEL as RpcChannel } from '../main/api/contract/index';

import type { CONSOLE_CHANNEL as ConsoleChannel, ConsolePortMessage } from '../main/api/console/port-bridge';

// Literals (not imports) keep the preload self-contained; the types pin them to the contract's names.
const RPC: typeof RpcChannel = 'deskstack:rpc';
const EVENT: typeof EventChannel = 'deskstack:event';
const CONSOLE: typeof ConsoleChannel = 'deskstack:console';

/** Where the renderer receives a console's bytes and its end. */
interface ConsoleSink {
  onData(bytes: Uint8Array): void;
  onClose(code: number, reason: string): void;
}

type Reply = { ok: true; result: unknown } | { ok: false; error: ErrorEnvelope };

function decodeError(reply: unknown): ErrorEnvelope {
  const e = (reply as { error?: Partial<ErrorEnvelope> } | null)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return { code: e.code, message: e.message, ...(e.details && typeof e.details === 'object' ? { details: e.details } : {}) };
  }
  return { code: 'Internal', message: 'The control plane sent a malformed reply.' };
}

const api = {
  /** Calls a contract method; rejects with the plain error envelope { code, message, details }. */
  async invoke(method: string, input: unknown): Promise<unknown> {
    const reply = (await ipcRenderer.invoke(RPC, method, input)) as Reply;
    if (reply && reply.ok === true) return reply.result;
    // A plain object survives contextBridge intact; an Error would lose its code.
    throw decodeError(reply);
  },
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: DeskEvent) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: DeskEvent): void => listener(event);
    ipcRenderer.on(EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT, wrapped);
    };
  },
  /**
   * Opens a live console over a MessagePort to the main process; resolves once it is attached
   * (rejects with the error envelope otherwise) with send/close, and feeds the sink until it ends.
   */
  openConsole(serverId: string, kind: 'serial' | 'vnc', sink: ConsoleSink): Promise<{ send(bytes: Uint8Array): void; close(): void }> {
    const { port1, port2 } = new MessageChannel();
    ipcRenderer.postMessage(CONSOLE, { serverId: String(serverId), kind }, [port2]);
    return new Promise((resolve, reject) => {
      let open = false;
      port1.onmessage = (e: MessageEvent<ConsolePortMessage>) => {
        const m = e.data;
        if (m.type === 'ready') {
          open = true;
          resolve({
            send: (bytes) => port1.postMessage({ type: 'data', bytes: new Uint8Array(bytes) }),
            close: () => {
              port1.postMessage({ type: 'close' });
              port1.close();
            },
          });
        } else if (m.type === 'error') {
          port1.close();
          reject(decodeError(m));
        } else if (m.type === 'data') sink.onData(m.bytes);
        else if (m.type === 'end') {
          port1.close();
          if (open) sink.onClose(m.code, m.reason);
          else reject({ code: 'Unavailable', message: m.reason });
        }
      };
      port1.start();
    });
  },
};

contextBridge.exposeInMainWorld('deskstack', api);

export type DeskstackApi = typeof api;
