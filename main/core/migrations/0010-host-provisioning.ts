import type { Migration } from './index';

// What the add-host wizard shows about a real host: its last preflight report and provisioning steps,
// and the tasks that produced them (so "resume" and the UI can find the log).
export const migration: Migration = {
  version: 10,
  name: 'hosts: preflight report and provisioning steps',
  sql: `
CREATE TABLE host_provisioning (
  host_id TEXT PRIMARY KEY REFERENCES hosts(id) ON DELETE CASCADE,
  preflight TEXT,
  preflight_at TEXT,
  preflight_task_id TEXT,
  provision_task_id TEXT,
  steps TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL
) STRICT;
`,
};
