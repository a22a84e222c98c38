// Key-pair generation has bounded concurrency: a burst of RSA generations leaves libuv's pool room
// for a login's scrypt (it does not queue behind the whole burst) and the event loop free.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprintOf, generateSshKey } from '../../main/compute/ssh-key';
import { hashPassword, verifyPassword } from '../../main/identity/password-hash';

test('a login during a burst of 12 key generations does not wait for the burst', async () => {
  const hash = await hashPassword('burst-secret');
  let keysDone = 0;
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 1);
  const burst = Array.from({ length: 12 }, () => generateSshKey().then((k) => (keysDone++, k)));
  const keysWhenLoggedIn = await verifyPassword('burst-secret', hash).then((ok) => (assert.equal(ok, true), keysDone));
  const keys = await Promise.all(burst);
  clearInterval(ticker);
  // Unbounded, the 12 generations fill the pool's queue first and the login finishes only after 9 or more.
  assert.ok(keysWhenLoggedIn < 6, `the login finished after ${keysWhenLoggedIn} of 12 generations`);
  assert.ok(ticks > 0, 'timers kept firing: the event loop was never held');
  assert.equal(new Set(keys.map((k) => k.fingerprint)).size, 12);
  for (const k of keys) assert.equal(fingerprintOf(k.publicKey), k.fingerprint);
});
