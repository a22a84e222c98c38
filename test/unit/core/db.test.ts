import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../../main/core/db';
import { MIGRATIONS } from '../../../main/core/migrations/index';

test('migrations are numbered 1..N without gaps and apply once', () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-db-'));
  const db = openDatabase(join(dir, 'db.sqlite'));
  migrate(db); // a second run changes nothing
  const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
  assert.deepEqual(versions, MIGRATIONS.map((m) => m.version));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('tables are STRICT: a wrong type is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-db-'));
  const db = openDatabase(join(dir, 'db.sqlite'));
  assert.throws(() => db.prepare("INSERT INTO settings (key, value) VALUES ('a', ?)").run(Buffer.from('x')), /cannot store BLOB/);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
