import type { Migration } from './index';

export const migration: Migration = {
  version: 5,
  name: 'image: images and their bytes',
  sql: `
CREATE TABLE images (
  id TEXT PRIMARY KEY,
  owner TEXT,
  name TEXT,
  status TEXT NOT NULL CHECK (status IN ('queued','saving','uploading','importing','active','killed','deleted','pending_delete','deactivated')),
  disk_format TEXT,
  container_format TEXT,
  visibility TEXT NOT NULL DEFAULT 'shared' CHECK (visibility IN ('public','private','shared','community')),
  protected INTEGER NOT NULL DEFAULT 0,
  size INTEGER,
  virtual_size INTEGER,
  checksum TEXT,
  os_hash_algo TEXT,
  os_hash_value TEXT,
  min_disk INTEGER NOT NULL DEFAULT 0,
  min_ram INTEGER NOT NULL DEFAULT 0,
  tags TEXT NOT NULL DEFAULT '[]',
  properties TEXT NOT NULL DEFAULT '{}',
  file TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX images_owner ON images(owner);
`,
};
