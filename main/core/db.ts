import Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';
import { FILE_MODE } from './data-dir';
import { MIGRATIONS } from './migrations/index';

export type Db = Database.Database;

/**
 * Opens (or creates) the control plane's database and brings its schema up to date.
 * WAL keeps readers off writers' backs; foreign keys and STRICT tables keep rows honest.
 */
export function openDatabase(file: string): Db {
  // Made owner-only before SQLite opens it: SQLite gives the -wal and -shm files the database's mode.
  closeSync(openSync(file, 'a', FILE_MODE));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
}

/** Runs fn in one IMMEDIATE transaction, so no other writer can interleave (used for claims). */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
