import type { Migration } from './index';

// The key pair a server was given (Nova's instance.keypairs), kept with the server: a rebuild may name
// the requester's key, and a key pair deleted later stays in the guest's meta-data when it is rebuilt.
export const migration: Migration = {
  version: 19,
  name: 'compute: the key pair data a server was given',
  sql: `
ALTER TABLE servers ADD COLUMN key_data TEXT;
`,
};
