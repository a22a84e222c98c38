// The health loop outlives a failing round: the failure is logged, not an unhandled rejection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealthMonitor } from '../../main/hosts/health-monitor';

test('a health round that throws is logged and the loop keeps running', async () => {
  let rounds = 0;
  const logged: string[] = [];
  const monitor = new HealthMonitor(
    {
      list: () => {
        rounds++;
        throw new Error('the database is closed');
      },
      pinger: () => undefined,
      setState: () => undefined,
      seen: () => undefined,
    },
    { intervalMs: 5 },
    { error: (obj, msg) => logged.push(`${msg}: ${(obj as { err: Error }).err.message}`) },
  );
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown): void => void unhandled.push(err);
  process.on('unhandledRejection', onUnhandled);
  try {
    monitor.start();
    for (let i = 0; i < 400 && rounds < 3; i++) await new Promise((r) => setTimeout(r, 10));
    await monitor.stop();
    assert.ok(rounds >= 3, `the loop went on after a failed round (${rounds} rounds)`);
    assert.ok(logged.length >= 2);
    assert.equal(logged[0], 'host health round failed: the database is closed');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
