import { setTimeout as sleep } from 'node:timers/promises';

// Realistic operation times of a small KVM host, in milliseconds at delayScale 1.
export const FAKE_TIMINGS_MS = {
  spawnMin: 1000,
  spawnMax: 3000,
  powerOffGraceful: 1000,
  powerOffHard: 200,
  powerOn: 500,
  rebootSoft: 1500,
  rebootHard: 500,
  destroy: 300,
} as const;

/**
 * Waits `ms` (already scaled) unless the signal aborts first, then rejects with the signal's reason.
 * At 0 it waits one microtask and sets no timer, so benchmarks measure the control plane, not sleeps.
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve().then(() => signal.throwIfAborted());
  // node's abortable timer rejects with an AbortError; callers expect the signal's own reason
  return sleep(ms, undefined, { signal }).catch((err: unknown) => {
    throw signal.aborted ? signal.reason : err;
  });
}
