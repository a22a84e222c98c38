// Rules the UI checks as you type and the contract checks again. Plain values and functions with no
// imports, so the renderer may import them by value and both sides keep one copy of each rule.

/** Nova's resource name: printable characters of any script, no leading or trailing whitespace. */
export const RESOURCE_NAME_RE = /^(?!\s)[^\p{C}]*(?<!\s)$/u;
export const RESOURCE_NAME_HINT = 'Printable characters (accents welcome); no leading or trailing space.';

/** How many instances one launch may create. */
export const MAX_LAUNCH_COUNT = 50;

/** Keystone's project name limit. */
export const PROJECT_NAME_MAX = 64;

/** Passwords set through the UI (first-run wizard, new users, resets). */
export const MIN_PASSWORD = 8;

/** Parses a typed instance count: a whole number 1..MAX_LAUNCH_COUNT, or the reason it is not one. */
export function parseCount(text: string): { count: number } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'Enter how many instances to create.' };
  if (!/^\d+$/.test(t)) return { error: 'A whole number, such as 3.' };
  const n = Number(t);
  if (n < 1 || n > MAX_LAUNCH_COUNT) return { error: `Between 1 and ${MAX_LAUNCH_COUNT}.` };
  return { count: n };
}

type QuotaNumbers = Record<'instances' | 'cores' | 'ram', number>;

/**
 * How many more instances of this size a project's quota admits (Infinity when nothing limits it):
 * the same headroom compute checks atomically when it creates them.
 */
export function quotaRoom(limits: QuotaNumbers, usage: QuotaNumbers, vcpus: number, ramMb: number): number {
  const room = (limit: number, used: number, per: number): number => (limit < 0 || per === 0 ? Infinity : Math.max(0, Math.floor((limit - used) / per)));
  return Math.min(room(limits.instances, usage.instances, 1), room(limits.cores, usage.cores, vcpus), room(limits.ram, usage.ram, ramMb));
}
