import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { ControlPlane } from '../control-plane';
import type { RequestContext } from '../core/context';
import { DeskError, toEnvelope, type ErrorEnvelope } from '../core/errors';
import { dispatch } from '../api/rpc/dispatch';
import { isAppUrl } from './security';

export const RPC_CHANNEL = 'deskstack:rpc';
export const EVENT_CHANNEL = 'deskstack:event';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ErrorEnvelope };

/**
 * Answers the renderer's contract calls. Only our own window's top frame, showing our own
 * origin, is heard; the method name and input are validated by the contract's dispatcher.
 */
export function startIpcHost(cp: ControlPlane, win: BrowserWindow, session: () => RequestContext): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean =>
    event.sender === win.webContents && event.senderFrame !== null && event.senderFrame === win.webContents.mainFrame && isAppUrl(event.senderFrame.url);

  ipcMain.handle(RPC_CHANNEL, async (event, method: unknown, input: unknown): Promise<IpcReply> => {
    try {
      if (!trusted(event)) throw new DeskError('Forbidden', 'IPC from an untrusted frame was refused.');
      if (typeof method !== 'string') throw new DeskError('BadRequest', 'The method name must be a string.');
      return { ok: true, result: await dispatch(cp, session(), method, input) };
    } catch (err) {
      return { ok: false, error: toEnvelope(err) };
    }
  });

  const unsubscribe = cp.bus.subscribe((event) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  });

  return () => {
    ipcMain.removeHandler(RPC_CHANNEL);
    unsubscribe();
  };
}
