import { EventEmitter } from 'node:events';

/** Kinds of resource the UI keeps stores for. */
export type ResourceKind =
  | 'server'
  | 'image'
  | 'flavor'
  | 'keypair'
  | 'host'
  | 'network'
  | 'project'
  | 'user'
  | 'server_group'
  | 'quota';

export interface ResourceEvent {
  type: 'resource';
  kind: ResourceKind;
  id: string;
  /** Project that owns the resource; null for global ones (flavors, hosts). Used to filter who hears it. */
  projectId: string | null;
  action: 'created' | 'updated' | 'deleted';
}

export interface TaskEvent {
  type: 'task';
  task: TaskView;
}

export interface TaskLogEvent {
  type: 'task.log';
  taskId: string;
  projectId: string | null;
  at: string;
  level: LogLevel;
  line: string;
}

export interface HostHealthEvent {
  type: 'host.health';
  hostId: string;
  state: 'up' | 'down' | 'unknown';
  message?: string;
}

export type DeskEvent = ResourceEvent | TaskEvent | TaskLogEvent | HostHealthEvent;

export type LogLevel = 'info' | 'warn' | 'error';
export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface TaskView {
  id: string;
  kind: string;
  title: string;
  resourceType: string | null;
  resourceId: string | null;
  projectId: string | null;
  hostId: string | null;
  state: TaskState;
  progress: number;
  step: string;
  error: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** The control plane's one event bus; the UI bridges (IPC, WebSocket) subscribe to it. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(event: DeskEvent): void {
    this.emitter.emit('event', event);
  }

  resource(kind: ResourceKind, id: string, projectId: string | null, action: ResourceEvent['action']): void {
    this.emit({ type: 'resource', kind, id, projectId, action });
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: DeskEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
