import type { Migration } from './index';

// The rest of Keystone v3: the service catalog (regions, services, endpoints, endpoint groups),
// credentials (blobs sealed with a key outside the database), policies, application credentials and
// trusts (secrets stored as scrypt hashes), OAuth1 consumers, domain configuration, and what a token
// may be scoped to besides a project.
export const migration: Migration = {
  version: 13,
  name: 'identity: catalog, credentials, policies, application credentials, trusts, domain configs, token scopes',
  sql: `
CREATE TABLE regions (
  id TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  parent_region_id TEXT REFERENCES regions(id),
  extra TEXT NOT NULL DEFAULT '{}'
) STRICT;
INSERT INTO regions (id, description) VALUES ('RegionOne', '');
CREATE TABLE services (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  extra TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE TABLE endpoints (
  id TEXT PRIMARY KEY,
  service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  interface TEXT NOT NULL CHECK (interface IN ('public', 'internal', 'admin')),
  url TEXT NOT NULL,
  region_id TEXT REFERENCES regions(id),
  enabled INTEGER NOT NULL DEFAULT 1,
  extra TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX endpoints_service ON endpoints(service_id);
CREATE TABLE endpoint_groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  filters TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE TABLE project_endpoint_groups (
  endpoint_group_id TEXT NOT NULL REFERENCES endpoint_groups(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  PRIMARY KEY (endpoint_group_id, project_id)
) STRICT;
-- endpoint_id has no foreign key: DeskStack's own endpoints are built in, not rows.
CREATE TABLE project_endpoints (
  endpoint_id TEXT NOT NULL,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  PRIMARY KEY (endpoint_id, project_id)
) STRICT;

CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id TEXT REFERENCES projects(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  sealed_blob TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX credentials_user ON credentials(user_id);
CREATE TABLE policies (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  blob TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE application_credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  secret_hash TEXT NOT NULL,
  expires_at TEXT,
  unrestricted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (user_id, name)
) STRICT;
CREATE TABLE application_credential_roles (
  application_credential_id TEXT NOT NULL REFERENCES application_credentials(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (application_credential_id, role_id)
) STRICT;

CREATE TABLE trusts (
  id TEXT PRIMARY KEY,
  trustor_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  trustee_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id TEXT REFERENCES projects(id) ON DELETE CASCADE,
  impersonation INTEGER NOT NULL,
  expires_at TEXT,
  remaining_uses INTEGER,
  redelegation_count INTEGER NOT NULL DEFAULT 0,
  redelegated_trust_id TEXT REFERENCES trusts(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX trusts_trustor ON trusts(trustor_user_id);
CREATE INDEX trusts_trustee ON trusts(trustee_user_id);
CREATE TABLE trust_roles (
  trust_id TEXT NOT NULL REFERENCES trusts(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (trust_id, role_id)
) STRICT;

CREATE TABLE oauth_consumers (
  id TEXT PRIMARY KEY,
  description TEXT,
  secret_hash TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE TABLE domain_configs (
  domain_id TEXT PRIMARY KEY REFERENCES domains(id) ON DELETE CASCADE,
  config TEXT NOT NULL
) STRICT;

ALTER TABLE tokens ADD COLUMN domain_id TEXT REFERENCES domains(id) ON DELETE CASCADE;
ALTER TABLE tokens ADD COLUMN system INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN trust_id TEXT REFERENCES trusts(id) ON DELETE CASCADE;
ALTER TABLE tokens ADD COLUMN application_credential_id TEXT REFERENCES application_credentials(id) ON DELETE CASCADE;
`,
};
