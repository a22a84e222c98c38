// Runs in the renderer's isolated world: exposes the UI contract as window.deskstack, and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DeskEvent, ErrorEnvelope, EVENT_CHANNEL as EventChannel, RPC_CHANNEL as RpcChannel } from '../main/api/contract/index';

// Literals (not imports) keep the preload self-contained; the types pin them to the contract's names.
const RPC: typeof RpcChannel = 'deskstack:rpc';
const EVENT: typeof EventChannel = 'deskstack:event';

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
};

contextBridge.exposeInMainWorld('deskstack', api);

export type DeskstackApi = typeof api;
