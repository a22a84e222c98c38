// Pings every host on a timer. One missed answer is noise; a host is down only after
// `downAfterMs` of failures, and up again at its first answer.
import type { EventBusLogger } from '../core/events';
import type { OpContext } from '../drivers/types';
import type { HostState, HostView } from './host-view';

export interface HealthOptions {
  /** Time between rounds; $DESKSTACK_HEALTH_INTERVAL_MS or 10 s when absent. */
  intervalMs?: number;
  /** How long a host must keep failing before it is marked down; $DESKSTACK_HEALTH_DOWN_AFTER_MS or 30 s when absent. */
  downAfterMs?: number;
  /** How long one ping may take; $DESKSTACK_HEALTH_PING_TIMEOUT_MS or 5 s when absent. */
  pingTimeoutMs?: number;
}

export interface HealthTarget {
  list(): HostView[];
  /** How to ask the host whether it answers (its driver's ping, or an SSH round trip); undefined skips it. */
  pinger(hostId: string): ((op: OpContext) => Promise<void>) | undefined;
  /** Records a state change (row, host.health event, resource event). */
  setState(hostId: string, state: HostState, message?: string): void;
  /** Records that the host answered just now. */
  seen(hostId: string): void;
}

/** Test and e2e runs of `deskstack serve` shorten the health intervals through the environment. */
function envMs(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

export class HealthMonitor {
  private readonly intervalMs: number;
  private readonly downAfterMs: number;
  private readonly pingTimeoutMs: number;
  private readonly failingSince = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly target: HealthTarget,
    opts: HealthOptions = {},
    private readonly log?: EventBusLogger,
  ) {
    this.intervalMs = opts.intervalMs ?? envMs('DESKSTACK_HEALTH_INTERVAL_MS') ?? 10_000;
    this.downAfterMs = opts.downAfterMs ?? envMs('DESKSTACK_HEALTH_DOWN_AFTER_MS') ?? 30_000;
    this.pingTimeoutMs = opts.pingTimeoutMs ?? envMs('DESKSTACK_HEALTH_PING_TIMEOUT_MS') ?? 5_000;
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.round?.catch(() => undefined); // the loop logs a failed round already
  }

  /** Runs one round now (or joins the one in progress). */
  check(): Promise<void> {
    this.round ??= this.pingAll().finally(() => (this.round = null));
    return this.round;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // a failed round (say, the database closing under it) is logged; the loop goes on
      void this.check()
        .catch((err: unknown) => (this.log ? this.log.error({ err }, 'host health round failed') : console.error('deskstack: host health round failed:', err)))
        .finally(() => this.arm());
    }, this.intervalMs);
    // Health checks alone must never keep the process alive.
    this.timer.unref();
  }

  private async pingAll(): Promise<void> {
    const hosts = this.target.list();
    const known = new Set(hosts.map((h) => h.id));
    for (const id of this.failingSince.keys()) if (!known.has(id)) this.failingSince.delete(id);
    await Promise.all(hosts.map((h) => this.pingOne(h)));
  }

  private async pingOne(host: HostView): Promise<void> {
    const ping = this.target.pinger(host.id);
    if (!ping) return;
    const ac = new AbortController();
    const timeout = setTimeout(() => ac.abort(new Error(`no answer within ${this.pingTimeoutMs / 1000} s`)), this.pingTimeoutMs);
    timeout.unref();
    try {
      await ping({ signal: ac.signal });
      this.failingSince.delete(host.id);
      this.target.seen(host.id);
      if (host.state !== 'up') this.target.setState(host.id, 'up');
    } catch (err) {
      const now = Date.now();
      const since = this.failingSince.get(host.id) ?? now;
      this.failingSince.set(host.id, since);
      if (host.state !== 'down' && now - since >= this.downAfterMs) {
        this.target.setState(host.id, 'down', err instanceof Error ? err.message : String(err));
      }
    } finally {
      clearTimeout(timeout);
    }
  }
}
