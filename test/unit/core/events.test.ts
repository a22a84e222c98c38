import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, type DeskEvent } from '../../../main/core/events';

test('a throwing subscriber is logged and skipped: emit returns and the others still hear the event', () => {
  const logged: Array<{ obj: object; msg: string }> = [];
  const bus = new EventBus({ error: (obj, msg) => logged.push({ obj, msg }) });
  const heard: string[] = [];
  bus.subscribe((e) => heard.push(`first ${e.type}`));
  bus.subscribe(() => {
    throw new Error('subscriber bug');
  });
  bus.subscribe((e) => heard.push(`last ${e.type}`));
  assert.doesNotThrow(() => bus.resource('server', 's1', 'p1', 'updated'));
  assert.deepEqual(heard, ['first resource', 'last resource']);
  assert.equal(logged.length, 1);
  assert.match(logged[0].msg, /subscriber failed/);
  assert.equal(((logged[0].obj as { err: Error }).err).message, 'subscriber bug');
});

test('unsubscribing (even from inside a listener) stops only that subscription', () => {
  const bus = new EventBus({ error: () => assert.fail('nothing throws here') });
  const got: DeskEvent[] = [];
  const listener = (e: DeskEvent): void => void got.push(e);
  const offA = bus.subscribe(listener);
  bus.subscribe(listener);
  const offSelf: () => void = bus.subscribe(() => offSelf());
  bus.emit({ type: 'host.health', hostId: 'h', state: 'up' });
  assert.equal(got.length, 2, 'the same function subscribed twice hears twice');
  offA();
  bus.emit({ type: 'host.health', hostId: 'h', state: 'down' });
  assert.equal(got.length, 3);
});
