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
