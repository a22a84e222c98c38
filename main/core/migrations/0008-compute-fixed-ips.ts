import type { Migration } from './index';

// Fixed IPs handed to servers, one row per address, so the allocator never hands one out twice.
export const migration: Migration = {
  version: 8,
  name: 'compute: fixed IP allocations',
  sql: `
CREATE TABLE fixed_ips (
  network_id TEXT NOT NULL,
  address TEXT NOT NULL,
  server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  mac TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (network_id, address)
) STRICT;
CREATE INDEX fixed_ips_server ON fixed_ips(server_id);
CREATE INDEX servers_group ON servers(server_group_id, deleted);
CREATE INDEX servers_reservation ON servers(reservation_id);
CREATE INDEX servers_project_created ON servers(project_id, deleted, created_at, id);
`,
};
