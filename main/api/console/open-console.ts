// Opens a live console for a server the caller may see: resolves its host through the compute
// and host services (never their tables) and asks that host's driver for the byte stream.
import type { Duplex } from 'node:stream';
import type { ControlPlane } from '../../control-plane';
import type { RequestContext } from '../../core/context';
import { DeskError } from '../../core/errors';

export type ConsoleKind = 'serial' | 'vnc';

export const CONSOLE_KINDS: readonly ConsoleKind[] = ['serial', 'vnc'];

export function isConsoleKind(v: unknown): v is ConsoleKind {
  return v === 'serial' || v === 'vnc';
}

/** How long the driver may take to attach (an SSH tunnel to a slow host included). */
const OPEN_TIMEOUT_MS = 20_000;
// A real serial port shows only what comes after attaching; this much of the log is shown first.
const LOG_TAIL_LINES = 200;

export interface OpenedConsole {
  stream: Duplex;
  /** Bytes to show before the live stream (the serial log so far, for drivers that do not replay it). */
  preamble: Buffer;
}

/**
 * The server's console stream. NotFound when the caller's project cannot see the server (an admin
 * sees all); Conflict when it has no host yet or is not running; Unavailable when its host cannot
 * give this kind of console. Destroying the stream detaches; the guest keeps running.
 */
export async function openServerConsole(cp: ControlPlane, ctx: RequestContext, serverId: string, kind: ConsoleKind): Promise<OpenedConsole> {
  const server = cp.compute.getServer(ctx, serverId);
  if (!server.hostId) {
    throw new DeskError('Conflict', `Instance ${server.name} has no host yet (status ${server.status}); wait until it is ACTIVE, then open its console.`);
  }
  if (server.status !== 'ACTIVE') {
    throw new DeskError('Conflict', `Instance ${server.name} is ${server.status}; start it to open a live console (the console log stays readable).`);
  }
  const driver = cp.hosts.driverFor(server.hostId);
  const signal = AbortSignal.timeout(OPEN_TIMEOUT_MS);
  try {
    // The demo rack replays its log itself; a real host's pty starts empty, so show the log's tail first.
    let preamble = Buffer.alloc(0);
    if (kind === 'serial' && driver.kind !== 'fake') {
      const log = await driver.consoleOutput(server.id, LOG_TAIL_LINES, { signal }).catch(() => '');
      if (log) preamble = Buffer.from(`${log.replace(/\r?\n/g, '\r\n')}\r\n`, 'utf8');
    }
    return { stream: await driver.openConsole(server.id, kind, { signal }), preamble };
  } catch (err) {
    if (signal.aborted && !(err instanceof DeskError)) {
      throw new DeskError('Unavailable', `Host ${server.hostName ?? server.hostId} did not open the ${kind} console within ${OPEN_TIMEOUT_MS / 1000} s; check that it is up, then retry.`);
    }
    throw err;
  }
}
