import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import type { ControlPlane } from '../control-plane';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../api/contract/index';
import { CONSOLE_CHANNEL, serveConsolePort } from '../api/console/port-bridge';
import { dispatchToReply, type RpcReply } from '../api/rpc/dispatch';
import { canSee } from '../api/rpc/event-filter';
import type { WindowSession } from '../api/rpc/session';
import { isAppUrl } from './security';

/**
 * Answers the renderer's contract calls and console requests. Only our own window's top frame,
 * showing our own origin, is heard; method names and inputs are validated by the contract's dispatcher.
 */
export function startIpcHost(cp: ControlPlane, win: BrowserWindow, session: WindowSession): () => void {
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent): boolean =>
    event.sender === win.webContents && event.senderFrame !== null && event.senderFrame === win.webContents.mainFrame && isAppUrl(event.senderFrame.url);

  ipcMain.handle(RPC_CHANNEL, async (event, method: unknown, input: unknown): Promise<RpcReply> => {
    if (!trusted(event)) return { ok: false, error: { code: 'Forbidden', message: 'IPC from an untrusted frame was refused.' } };
    return dispatchToReply(cp, session.current, typeof method === 'string' ? method : '', input, { rescope: session.rescope });
  });

  // Live consoles travel over a MessagePort the renderer hands us, never over a socket.
  ipcMain.on(CONSOLE_CHANNEL, (event, request: unknown) => {
    const port = event.ports[0];
    if (!port) return;
    if (!trusted(event)) {
      port.close();
      return;
    }
    void serveConsolePort(cp, session.current, port, request);
  });

  const unsubscribe = cp.bus.subscribe((event) => {
    if (!win.isDestroyed() && canSee(session.current, event)) win.webContents.send(EVENT_CHANNEL, event);
  });

  return () => {
    ipcMain.removeHandler(RPC_CHANNEL);
    ipcMain.removeAllListeners(CONSOLE_CHANNEL);
    unsubscribe();
  };
}
