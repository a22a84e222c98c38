import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { migrate } from '../../main/core/db';
import { MIGRATIONS } from '../../main/core/migrations/index';

test('migration 12 keeps every existing role assignment, seeds the role hierarchy, and leaves foreign keys sound', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  for (const m of MIGRATIONS.filter((x) => x.version <= 11)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, 'then');
  }
  db.exec(`
    INSERT INTO domains (id, name) VALUES ('default', 'Default');
    INSERT INTO projects (id, domain_id, name, created_at) VALUES ('p1', 'default', 'one', 'now');
    INSERT INTO users (id, domain_id, name, created_at) VALUES ('u1', 'default', 'ann', 'now');
    INSERT INTO roles (id, name) VALUES ('r-admin', 'admin'), ('r-member', 'member'), ('r-reader', 'reader'), ('r-x', 'x');
    INSERT INTO role_assignments VALUES ('u1', 'p1', 'r-member'), ('u1', 'p1', 'r-x');
  `);
  migrate(db);
  assert.deepEqual(db.prepare('SELECT user_id, project_id, role_id, inherited FROM assignments ORDER BY role_id').all(), [
    { user_id: 'u1', project_id: 'p1', role_id: 'r-member', inherited: 0 },
    { user_id: 'u1', project_id: 'p1', role_id: 'r-x', inherited: 0 },
  ]);
  assert.deepEqual(db.prepare('SELECT prior_role_id, implied_role_id FROM implied_roles ORDER BY 1').all(), [
    { prior_role_id: 'r-admin', implied_role_id: 'r-member' },
    { prior_role_id: 'r-member', implied_role_id: 'r-reader' },
  ]);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  // Deleting a role still cascades into the assignments that used it (the rename kept the reference).
  db.prepare("DELETE FROM roles WHERE id = 'r-x'").run();
  assert.equal(db.prepare('SELECT count(*) FROM assignments').pluck().get(), 1);
  // Global role names stay unique; a domain may reuse one.
  assert.throws(() => db.prepare("INSERT INTO roles (id, name) VALUES ('dup', 'member')").run(), /UNIQUE/);
  db.prepare("INSERT INTO roles (id, name, domain_id) VALUES ('dom', 'member', 'default')").run();
  db.close();
});
