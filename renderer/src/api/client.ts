import { createHttpClient } from './http-transport';
import { createIpcClient } from './ipc-transport';
import type { DeskClient } from './types';

export type { DeskClient, ConnectionState } from './types';
export { ClientError, asClientError } from './errors';

/** The app's one client: IPC when the preload is present (Electron), else HTTP + WebSocket (serve mode). */
export const client: DeskClient = window.deskstack ? createIpcClient(window.deskstack) : createHttpClient();
