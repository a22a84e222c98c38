// The UI contract: one typed method map (inputs validated with zod), the views it returns,
// the events pushed to the UI, and the error envelope. The renderer and preload import
// from here with `import type` only.

export { inputs, access, SERVER_ACTIONS } from './methods';
export type { Access, MethodName, InputOf, ParsedInputOf, ResultOf, Results, ServerActionName } from './methods';
export type * from './views';
// The renderer imports ./rules by value from its own file: this index would pull zod into the bundle.
export type { DeskEvent, ResourceEvent, TaskEvent, TaskLogEvent, HostHealthEvent, ResourceKind, TaskState } from '../../core/events';
export type { ErrorEnvelope, ErrorCode } from '../../core/errors';

/** IPC channel for contract calls: invoke(method, input) → RpcReply. */
export const RPC_CHANNEL = 'deskstack:rpc';
/** IPC channel the main process pushes DeskEvents on. */
export const EVENT_CHANNEL = 'deskstack:event';
/** WebSocket path for pushed events in serve mode. */
export const EVENTS_PATH = '/api/events';
/** HTTP path prefix for contract calls in serve mode: POST /api/rpc/:method. */
export const RPC_PATH = '/api/rpc';
