import type { Migration } from './index';

// What POST /servers takes besides the basics: hostname (2.90), a forced or requested host, access IPs, the security groups
// asked for, OS-DCF:diskConfig, tags (2.26/2.52) and the password a guest leaves for os-server-password.
export const migration: Migration = {
  version: 15,
  name: 'compute: server hostname, requested host, access IPs, security groups, password, tags',
  sql: `
ALTER TABLE servers ADD COLUMN hostname TEXT;
ALTER TABLE servers ADD COLUMN requested_host TEXT;
ALTER TABLE servers ADD COLUMN access_ipv4 TEXT NOT NULL DEFAULT '';
ALTER TABLE servers ADD COLUMN access_ipv6 TEXT NOT NULL DEFAULT '';
ALTER TABLE servers ADD COLUMN security_groups TEXT NOT NULL DEFAULT '["default"]';
ALTER TABLE servers ADD COLUMN password TEXT NOT NULL DEFAULT '';
ALTER TABLE servers ADD COLUMN disk_config TEXT NOT NULL DEFAULT 'MANUAL' CHECK (disk_config IN ('AUTO', 'MANUAL'));
CREATE TABLE server_tags (
  server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (server_id, tag)
) STRICT;
CREATE INDEX server_tags_tag ON server_tags(tag);
`,
};
