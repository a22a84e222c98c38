import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Semaphore } from '../../../main/core/semaphore';

test('the semaphore runs at most `limit` at once, in arrival order, and frees slots on failure', async () => {
  const sem = new Semaphore(2);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const gates: Array<() => void> = [];
  const job = (i: number) =>
    sem.use(async () => {
      order.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      if (i === 0) throw new Error('job 0 fails');
      return i;
    });
  const settled = Promise.allSettled([0, 1, 2, 3].map(job));
  for (let opened = 0; opened < 4; ) {
    await new Promise((r) => setImmediate(r));
    const gate = gates.shift();
    if (!gate) continue;
    gate();
    opened++;
  }
  const results = await settled;
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3]);
  assert.equal(results[0].status, 'rejected');
  assert.deepEqual(results.slice(1).map((r) => (r as PromiseFulfilledResult<number>).value), [1, 2, 3]);
  // every slot came back
  await Promise.all([sem.acquire(), sem.acquire()]);
  sem.release();
  sem.release();
  assert.throws(() => new Semaphore(0), RangeError);
});
