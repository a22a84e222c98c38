import type { Migration } from './index';

export const migration: Migration = {
  version: 4,
  name: 'compute: flavors, keypairs, servers, allocations, actions, quotas, server groups',
  sql: `
CREATE TABLE flavors (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  vcpus INTEGER NOT NULL,
  ram INTEGER NOT NULL,
  disk INTEGER NOT NULL,
  ephemeral INTEGER NOT NULL DEFAULT 0,
  swap INTEGER NOT NULL DEFAULT 0,
  rxtx_factor REAL NOT NULL DEFAULT 1.0,
  is_public INTEGER NOT NULL DEFAULT 1,
  disabled INTEGER NOT NULL DEFAULT 0,
  description TEXT,
  extra_specs TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE keypairs (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL DEFAULT 'ssh',
  public_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (user_id, name)
) STRICT;
CREATE TABLE server_groups (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  policy TEXT NOT NULL CHECK (policy IN ('affinity','anti-affinity','soft-affinity','soft-anti-affinity')),
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE servers (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  vm_state TEXT NOT NULL,
  task_state TEXT,
  power_state INTEGER NOT NULL DEFAULT 0,
  host_id TEXT REFERENCES hosts(id),
  flavor_id TEXT NOT NULL,
  flavor TEXT NOT NULL,
  image_id TEXT NOT NULL DEFAULT '',
  key_name TEXT,
  user_data TEXT,
  networks TEXT NOT NULL DEFAULT '[]',
  addresses TEXT NOT NULL DEFAULT '{}',
  availability_zone TEXT,
  server_group_id TEXT REFERENCES server_groups(id) ON DELETE SET NULL,
  reservation_id TEXT NOT NULL,
  launch_index INTEGER NOT NULL DEFAULT 0,
  config_drive TEXT NOT NULL DEFAULT '',
  description TEXT,
  fault TEXT,
  progress INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  launched_at TEXT,
  terminated_at TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX servers_project ON servers(project_id, deleted);
CREATE INDEX servers_host ON servers(host_id, deleted);
CREATE INDEX servers_created ON servers(created_at, id);
CREATE TABLE allocations (
  server_id TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
  host_id TEXT NOT NULL REFERENCES hosts(id),
  vcpus INTEGER NOT NULL,
  memory_mb INTEGER NOT NULL,
  disk_gb INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX allocations_host ON allocations(host_id);
CREATE TABLE server_metadata (
  server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (server_id, key)
) STRICT;
CREATE TABLE instance_actions (
  id INTEGER PRIMARY KEY,
  server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  request_id TEXT NOT NULL,
  action TEXT NOT NULL,
  project_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  start_time TEXT NOT NULL,
  finish_time TEXT,
  message TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX instance_actions_server ON instance_actions(server_id);
CREATE TABLE instance_action_events (
  id INTEGER PRIMARY KEY,
  action_id INTEGER NOT NULL REFERENCES instance_actions(id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  start_time TEXT NOT NULL,
  finish_time TEXT,
  result TEXT,
  traceback TEXT,
  host TEXT
) STRICT;
CREATE TABLE quotas (
  project_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  hard_limit INTEGER NOT NULL,
  PRIMARY KEY (project_id, resource)
) STRICT;
`,
};
