import type { Migration } from './index';

export const migration: Migration = {
  version: 1,
  name: 'core: settings and tasks',
  sql: `
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  resource_type TEXT,
  resource_id TEXT,
  project_id TEXT,
  host_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled','interrupted')),
  progress REAL NOT NULL DEFAULT 0,
  step TEXT NOT NULL DEFAULT '',
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;
CREATE INDEX tasks_state ON tasks(state);
CREATE INDEX tasks_resource ON tasks(resource_type, resource_id);
CREATE TABLE task_log (
  id INTEGER PRIMARY KEY,
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  level TEXT NOT NULL,
  line TEXT NOT NULL
) STRICT;
CREATE INDEX task_log_task ON task_log(task_id);
`,
};
