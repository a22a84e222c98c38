import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataLock } from '../../../main/core/data-lock';

test('one control plane per data folder: a live holder is named, a dead one is taken over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-lock-'));
  // A lock held by a live process (pid 1) of this machine is refused with a message naming it.
  writeFileSync(join(dir, 'deskstack.lock'), JSON.stringify({ pid: 1, host: hostname(), since: 'earlier' }));
  assert.throws(() => acquireDataLock(dir), /in use by DeskStack process 1/);
  // A stale lock (a pid that cannot exist) is taken over.
  writeFileSync(join(dir, 'deskstack.lock'), JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), since: 'earlier' }));
  const lock = acquireDataLock(dir);
  lock.release();
  const again = acquireDataLock(dir);
  again.release();
  rmSync(dir, { recursive: true, force: true });
});
