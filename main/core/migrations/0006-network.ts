import type { Migration } from './index';

export const migration: Migration = {
  version: 6,
  name: 'network: network records',
  sql: `
CREATE TABLE networks (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'ACTIVE',
  admin_state_up INTEGER NOT NULL DEFAULT 1,
  shared INTEGER NOT NULL DEFAULT 0,
  external INTEGER NOT NULL DEFAULT 0,
  mtu INTEGER NOT NULL DEFAULT 1500,
  network_type TEXT NOT NULL DEFAULT 'local',
  cidr TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`,
};
