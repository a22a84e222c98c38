import type { Migration } from './index';

// Access rules narrow an application credential to some API calls (service type, method, path glob).
// A user's rules are shared by their credentials; a rule in use cannot be deleted.
export const migration: Migration = {
  version: 14,
  name: 'identity: application credential access rules',
  sql: `
CREATE TABLE access_rules (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  service TEXT NOT NULL,
  path TEXT NOT NULL,
  method TEXT NOT NULL,
  UNIQUE (user_id, service, path, method)
) STRICT;
CREATE TABLE application_credential_access_rules (
  application_credential_id TEXT NOT NULL REFERENCES application_credentials(id) ON DELETE CASCADE,
  access_rule_id TEXT NOT NULL REFERENCES access_rules(id),
  PRIMARY KEY (application_credential_id, access_rule_id)
) STRICT;
CREATE INDEX application_credential_access_rules_rule ON application_credential_access_rules(access_rule_id);
`,
};
