import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, scryptConcurrency, verifyPassword } from '../../main/identity/password-hash';

test('hashing and checking passwords leave the event loop free (each hash yields it many times)', async () => {
  let turns = 0;
  let running = true;
  const spin = () => {
    turns++;
    if (running) setImmediate(spin);
  };
  setImmediate(spin);
  const before = turns;
  // More at once than there are scrypt slots: the rest queue instead of piling onto libuv's pool.
  const hashes = await Promise.all(Array.from({ length: scryptConcurrency() * 3 }, (_, i) => hashPassword(`pw-${i}`)));
  const during = turns - before;
  running = false;
  // A synchronous scrypt would give no turn at all while it runs; an asynchronous one gives many.
  assert.ok(during >= hashes.length, `the loop turned ${during} times while ${hashes.length} hashes ran`);
  assert.equal(new Set(hashes).size, hashes.length);
  assert.deepEqual(await Promise.all(hashes.map((h, i) => verifyPassword(`pw-${i}`, h))), hashes.map(() => true));
  assert.equal(await verifyPassword('pw-0', hashes[1]), false);
  assert.equal(await verifyPassword('pw-0', 'scrypt$99999999$8$1$AAAA$AAAA'), false, 'absurd stored costs are refused');
  assert.equal(await verifyPassword('pw-0', null), false);
});
