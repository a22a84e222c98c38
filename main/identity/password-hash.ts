import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Semaphore } from '../core/semaphore';

// scrypt cost: N=2^15, r=8, p=1 (~32 MiB, tens of ms) — strong for a desktop-sized user base.
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const PREFIX = 'scrypt';

interface Params {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const options = (n: number, r: number, p: number): ScryptOptions => ({ N: n, r, p, maxmem: 256 * n * r + 4 * 1024 * 1024 });

// scrypt runs in libuv's pool (4 threads, shared with file I/O); at most this many hashes run at once,
// so a burst of logins queues here instead of filling the pool and taking 32 MiB each. One core is left
// to the event loop: with every core hashing, each other request would wait for CPU time.
const SCRYPT_SLOTS = Math.max(1, Math.min(2, availableParallelism() - 1));
const slots = new Semaphore(SCRYPT_SLOTS);

function derive(password: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return slots.use(
    () => new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key)))),
  );
}

/** Hash string with its parameters: scrypt$N$r$p$salt$key (base64url), so costs can change later. Off the event loop. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, KEY_LEN, options(N, R, P));
  return [PREFIX, N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(hash: string): Params | null {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  // Refuse absurd stored costs instead of letting a damaged row exhaust memory.
  if (![n, r, p].every((v) => Number.isInteger(v) && v > 0) || n > 1 << 20 || r > 32 || p > 16) return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const key = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { n, r, p, salt, key };
}

/** Constant-time check of a password against a stored hash; false for any malformed hash. Off the event loop. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  const params = hash ? parse(hash) : null;
  // Without a usable hash, still spend the same work so timing does not reveal which users exist.
  const p = params ?? { n: N, r: R, p: P, salt: DUMMY_SALT, key: Buffer.alloc(KEY_LEN) };
  const derived = await derive(password, p.salt, p.key.length, options(p.n, p.r, p.p));
  return params !== null && derived.length === p.key.length && timingSafeEqual(derived, p.key);
}

const DUMMY_SALT = randomBytes(16);

/** A strong random password for the first admin (about 128 bits, URL-safe). */
export function generatePassword(): string {
  return randomBytes(16).toString('base64url');
}

/** How many scrypt computations may run at once (for tests and the benchmark's report). */
export const scryptConcurrency = (): number => SCRYPT_SLOTS;
