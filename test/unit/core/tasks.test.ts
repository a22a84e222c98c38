import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../main/core/db';
import { EventBus, type DeskEvent } from '../../../main/core/events';
import { TaskRunner } from '../../../main/core/tasks';
import { DeskError } from '../../../main/core/errors';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-tasks-'));
  const file = join(dir, 'db.sqlite');
  const db = openDatabase(file);
  const bus = new EventBus();
  const events: DeskEvent[] = [];
  bus.subscribe((e) => events.push(e));
  return { dir, file, db, bus, events, runner: new TaskRunner(db, bus, 2), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a task records progress, step, log and success, and pushes events', async () => {
  const s = setup();
  const { task, done } = s.runner.start({ kind: 'demo', title: 'Demo work', resourceType: 'server', resourceId: 'abc', projectId: 'p1' }, async (ctx) => {
    ctx.progress(0.5, 'halfway');
    ctx.log('did half');
  });
  assert.equal(task.state, 'queued');
  const end = await done;
  assert.equal(end.state, 'succeeded');
  assert.equal(end.progress, 1);
  assert.equal(end.step, 'halfway');
  assert.deepEqual(s.runner.logs(task.id).map((l) => l.line), ['did half']);
  const states = s.events.filter((e) => e.type === 'task').map((e) => (e.type === 'task' ? e.task.state : ''));
  assert.deepEqual([states[0], states.at(-1)], ['queued', 'succeeded']);
  assert.ok(s.events.some((e) => e.type === 'task.log' && e.line === 'did half'));
  s.db.close();
  s.cleanup();
});

test('a failing task keeps the error envelope and logs it', async () => {
  const s = setup();
  const { done } = s.runner.start({ kind: 'demo', title: 'Fails' }, async () => {
    throw new DeskError('Conflict', 'host demo-1 is busy — retry later');
  });
  const end = await done;
  assert.equal(end.state, 'failed');
  assert.deepEqual(end.error, { code: 'Conflict', message: 'host demo-1 is busy — retry later' });
  assert.match(s.runner.logs(end.id).at(-1)!.line, /busy/);
  s.db.close();
  s.cleanup();
});

test('cancel reaches the work through its AbortSignal', async () => {
  const s = setup();
  let sawAbort = false;
  const { task, done } = s.runner.start({ kind: 'demo', title: 'Long' }, (ctx) =>
    new Promise<void>((_resolve, reject) => {
      ctx.signal.addEventListener('abort', () => {
        sawAbort = true;
        reject(ctx.signal.reason);
      });
    }),
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(s.runner.cancel(task.id), true);
  const end = await done;
  assert.equal(sawAbort, true);
  assert.equal(end.state, 'cancelled');
  assert.equal(s.runner.cancel(task.id), false);
  s.db.close();
  s.cleanup();
});

test('per-host concurrency limit: at most 2 tasks run on one host at once', async () => {
  const s = setup();
  let running = 0;
  let peak = 0;
  const work = async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
  };
  const started = Array.from({ length: 6 }, (_, i) => s.runner.start({ kind: 'demo', title: `t${i}`, hostId: 'h1' }, work));
  const other = s.runner.start({ kind: 'demo', title: 'other host', hostId: 'h2' }, work);
  const ends = await Promise.all([...started.map((t) => t.done), other.done]);
  assert.ok(ends.every((t) => t.state === 'succeeded'));
  assert.ok(peak <= 3, `peak ${peak}`); // 2 on h1 plus 1 on h2
  s.db.close();
  s.cleanup();
});

test('task rows survive a restart; running ones are marked interrupted', async () => {
  const s = setup();
  const { task } = s.runner.start({ kind: 'demo', title: 'Never ends', resourceType: 'server', resourceId: 'x' }, () => new Promise<void>(() => {}));
  await new Promise((r) => setImmediate(r));
  s.db.close(); // the process "dies" with the task running
  const db2 = openDatabase(s.file);
  const runner2 = new TaskRunner(db2, new EventBus());
  const interrupted = runner2.recoverInterrupted();
  assert.deepEqual(interrupted.map((t) => t.id), [task.id]);
  const row = runner2.get(task.id);
  assert.equal(row.state, 'interrupted');
  assert.match(row.error!.message, /stopped while this task ran/);
  assert.equal(runner2.recoverInterrupted().length, 0);
  db2.close();
  s.cleanup();
});

/** Work that runs until its signal aborts, then rejects with the signal's reason. */
const untilAborted = (ctx: { signal: AbortSignal }) =>
  new Promise<void>((_resolve, reject) => {
    if (ctx.signal.aborted) reject(ctx.signal.reason);
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
  });

test('the user cancels only a cancellable task; onCancelled settles it after the work unwound', async () => {
  const s = setup();
  const order: string[] = [];
  const safe = s.runner.start({ kind: 'demo.safe', title: 'Safe', cancellable: true, onCancelled: () => order.push('settled') }, async (ctx) => {
    try {
      await untilAborted(ctx);
    } finally {
      order.push('unwound');
    }
  });
  const unsafe = s.runner.start({ kind: 'demo.unsafe', title: 'Half-way unsafe' }, untilAborted);
  assert.equal(safe.task.cancellable, true);
  assert.equal(unsafe.task.cancellable, false);
  await new Promise((r) => setImmediate(r));

  assert.throws(() => s.runner.cancelByUser(unsafe.task.id), (e: unknown) => e instanceof DeskError && e.code === 'Conflict' && /cannot be cancelled safely/.test(e.message));
  assert.equal(s.runner.get(unsafe.task.id).state, 'running', 'a refused cancel leaves the task running');

  s.runner.cancelByUser(safe.task.id);
  const end = await safe.done;
  assert.equal(end.state, 'cancelled');
  assert.equal(end.cancellable, false, 'an ended task is not offered for cancel');
  assert.deepEqual(end.error, { code: 'Conflict', message: 'Cancelled by the user.' });
  assert.deepEqual(order, ['unwound', 'settled']);
  assert.throws(() => s.runner.cancelByUser(safe.task.id), (e: unknown) => e instanceof DeskError && e.code === 'Conflict' && /already ended/.test(e.message));

  // Superseding (a delete taking over a build) is not the user's cancel: onCancelled does not run.
  let settledTwice = false;
  const taken = s.runner.start({ kind: 'demo.safe', title: 'Taken over', cancellable: true, onCancelled: () => (settledTwice = true) }, untilAborted);
  await new Promise((r) => setImmediate(r));
  assert.equal(s.runner.cancel(taken.task.id), true);
  assert.equal((await taken.done).state, 'cancelled');
  assert.equal(settledTwice, false);

  s.runner.cancel(unsafe.task.id);
  await unsafe.done;
  s.db.close();
  s.cleanup();
});

test('a queued task the user cancels never runs, and is still settled', async () => {
  const s = setup();
  const blockers = [0, 1].map(() => s.runner.start({ kind: 'demo', title: 'blocker', hostId: 'h1' }, untilAborted));
  let ran = false;
  let settled = false;
  const queued = s.runner.start({ kind: 'demo.safe', title: 'Queued', hostId: 'h1', cancellable: true, onCancelled: () => (settled = true) }, async () => {
    ran = true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(s.runner.get(queued.task.id).state, 'queued');
  s.runner.cancelByUser(queued.task.id);
  for (const b of blockers) s.runner.cancel(b.task.id);
  assert.equal((await queued.done).state, 'cancelled');
  assert.equal(ran, false);
  assert.equal(settled, true);
  s.db.close();
  s.cleanup();
});

test('a shutdown leaves running tasks interrupted, not cancelled', async () => {
  const s = setup();
  let settled = false;
  const t = s.runner.start({ kind: 'demo.safe', title: 'Long', cancellable: true, onCancelled: () => (settled = true) }, untilAborted);
  await new Promise((r) => setImmediate(r));
  s.runner.abortAll();
  const end = await t.done;
  assert.equal(end.state, 'interrupted');
  assert.equal(end.error?.code, 'Unavailable');
  assert.equal(settled, false);
  s.db.close();
  s.cleanup();
});
