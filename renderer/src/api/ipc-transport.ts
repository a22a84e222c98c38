import type { InputOf, MethodName, ResultOf } from '../../../main/api/contract/index';
import { asClientError } from './errors';
import { openIpcConsole } from './ipc-console';
import type { ConnectionState, DeskClient, DeskstackBridge } from './types';

/** The contract through the preload's window.deskstack (the desktop app). */
export function createIpcClient(bridge: DeskstackBridge): DeskClient {
  return {
    transport: 'ipc',
    async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>> {
      try {
        return (await bridge.invoke(method, input ?? {})) as ResultOf<M>;
      } catch (err) {
        // The preload rejects with the plain envelope (contextBridge would strip an Error's code).
        throw asClientError(err);
      }
    },
    onEvent: (listener) => bridge.onEvent(listener),
    onConnection(listener: (s: ConnectionState) => void) {
      // IPC is up as long as the window is.
      queueMicrotask(() => listener('open'));
      return () => {};
    },
    setToken() {},
    openConsole: (serverId, kind) => openIpcConsole(bridge, serverId, kind),
    async uploadImage(imageId, file, onProgress) {
      const data = new Uint8Array(await file.arrayBuffer());
      onProgress(0.5);
      try {
        await bridge.invoke('imageUpload', { id: imageId, data });
      } catch (err) {
        throw asClientError(err);
      }
      onProgress(1);
    },
  };
}
