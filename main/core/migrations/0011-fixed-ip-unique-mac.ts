import type { Migration } from './index';

// MACs were a 24-bit hash of server and network, so two ports could share one (and the DHCP
// reservation of one then removed the other's). Older duplicates get a fresh random MAC first.
export const migration: Migration = {
  version: 11,
  name: 'compute: unique MAC per network',
  sql: `
UPDATE fixed_ips SET mac = printf('fa:16:3e:%02x:%02x:%02x', abs(random()) % 256, abs(random()) % 256, abs(random()) % 256)
WHERE rowid NOT IN (SELECT min(rowid) FROM fixed_ips GROUP BY network_id, mac);
CREATE UNIQUE INDEX fixed_ips_network_mac ON fixed_ips(network_id, mac);
`,
};
