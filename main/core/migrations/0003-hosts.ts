import type { Migration } from './index';

export const migration: Migration = {
  version: 3,
  name: 'hosts: compute hosts and their capacity',
  sql: `
CREATE TABLE hosts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  driver TEXT NOT NULL CHECK (driver IN ('fake','libvirt')),
  address TEXT NOT NULL DEFAULT '',
  port INTEGER NOT NULL DEFAULT 22,
  username TEXT NOT NULL DEFAULT 'root',
  host_key TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  disabled_reason TEXT,
  state TEXT NOT NULL DEFAULT 'up' CHECK (state IN ('up','down','unknown')),
  provision_state TEXT NOT NULL DEFAULT 'ready' CHECK (provision_state IN ('new','preflight','provisioning','ready','failed')),
  availability_zone TEXT NOT NULL DEFAULT 'nova',
  vcpus INTEGER NOT NULL DEFAULT 0,
  memory_mb INTEGER NOT NULL DEFAULT 0,
  disk_gb INTEGER NOT NULL DEFAULT 0,
  cpu_model TEXT NOT NULL DEFAULT '',
  virt_type TEXT NOT NULL DEFAULT 'kvm',
  hypervisor_type TEXT NOT NULL DEFAULT 'QEMU',
  hypervisor_version INTEGER NOT NULL DEFAULT 0,
  host_ip TEXT NOT NULL DEFAULT '',
  cpu_allocation_ratio REAL NOT NULL DEFAULT 16.0,
  ram_allocation_ratio REAL NOT NULL DEFAULT 1.5,
  disk_allocation_ratio REAL NOT NULL DEFAULT 1.0,
  settings TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_seen_at TEXT
) STRICT;
`,
};
