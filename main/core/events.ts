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
  | 'quota'
  | 'domain'
  | 'group'
  | 'role'
  | 'application_credential'
  | 'trust';

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
  /** True while the task runs and may be cancelled safely (taskCancel refuses the others). */
  cancellable: boolean;
}

/** Where the bus reports a subscriber that threw (pino's Logger fits). */
export interface EventBusLogger {
  error(obj: object, msg: string): void;
}

/**
 * The control plane's one event bus; the UI bridges (IPC, WebSocket) subscribe to it. A throwing
 * subscriber is logged and skipped: emitters (task execution, services) never see its error.
 */
export class EventBus {
  private readonly listeners = new Set<(event: DeskEvent) => void>();

  constructor(private readonly log?: EventBusLogger) {}

  emit(event: DeskEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        if (this.log) this.log.error({ err, eventType: event.type }, 'an event subscriber failed; the others still got the event');
        else console.error('deskstack: an event subscriber failed:', err);
      }
    }
  }

  resource(kind: ResourceKind, id: string, projectId: string | null, action: ResourceEvent['action']): void {
    this.emit({ type: 'resource', kind, id, projectId, action });
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: DeskEvent) => void): () => void {
    // a wrapper per subscription, so the same function subscribed twice is heard twice and unsubscribes once
    const entry = (event: DeskEvent): void => listener(event);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }
}
