// A store load that fails leaves the store as it was; an expired session is noticed in one place.
import { asClientError } from '../api/client';

let onExpired: () => void = () => {};

/** Registers what happens when a call finds the session gone (sync.ts: back to the sign-in page). */
export function whenSessionExpires(fn: () => void): void {
  onExpired = fn;
}

/** The call's result, or undefined when it failed. */
export async function settle<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (asClientError(err).code === 'Unauthorized') onExpired();
    return undefined;
  }
}
