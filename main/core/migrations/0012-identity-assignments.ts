import type { Migration } from './index';

// Keystone's assignment model: a role given to a user or a group, on a project, a domain or the
// system, optionally inherited down the project tree; roles may belong to a domain and imply others.
// roles is rebuilt (its names become unique per domain); role_assignments moves into assignments first,
// so dropping the old roles table cascades into nothing.
export const migration: Migration = {
  version: 12,
  name: 'identity: groups, domain/system/inherited assignments, domain roles, implied roles, project tree',
  sql: `
ALTER TABLE domains ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
ALTER TABLE projects ADD COLUMN parent_id TEXT REFERENCES projects(id);
CREATE INDEX projects_parent ON projects(parent_id);

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  domain_id TEXT NOT NULL REFERENCES domains(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  extra TEXT NOT NULL DEFAULT '{}',
  UNIQUE (domain_id, name)
) STRICT;
CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX group_members_user ON group_members(user_id);

CREATE TABLE roles_new (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  domain_id TEXT REFERENCES domains(id),
  description TEXT,
  extra TEXT NOT NULL DEFAULT '{}'
) STRICT;
INSERT INTO roles_new (id, name, domain_id, description, extra) SELECT id, name, NULL, description, extra FROM roles;

CREATE TABLE assignments (
  role_id TEXT NOT NULL REFERENCES roles_new(id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  group_id TEXT REFERENCES groups(id) ON DELETE CASCADE,
  project_id TEXT REFERENCES projects(id) ON DELETE CASCADE,
  domain_id TEXT REFERENCES domains(id) ON DELETE CASCADE,
  system INTEGER NOT NULL DEFAULT 0 CHECK (system IN (0, 1)),
  inherited INTEGER NOT NULL DEFAULT 0 CHECK (inherited IN (0, 1)),
  CHECK ((user_id IS NULL) <> (group_id IS NULL)),
  CHECK ((project_id IS NOT NULL) + (domain_id IS NOT NULL) + system = 1)
) STRICT;
CREATE UNIQUE INDEX assignments_unique ON assignments (role_id, ifnull(user_id, ''), ifnull(group_id, ''), ifnull(project_id, ''), ifnull(domain_id, ''), system, inherited);
CREATE INDEX assignments_user ON assignments(user_id);
CREATE INDEX assignments_group ON assignments(group_id);
CREATE INDEX assignments_project ON assignments(project_id);
CREATE INDEX assignments_domain ON assignments(domain_id);
INSERT INTO assignments (role_id, user_id, project_id) SELECT role_id, user_id, project_id FROM role_assignments;
DROP TABLE role_assignments;
DROP TABLE roles;
ALTER TABLE roles_new RENAME TO roles;
CREATE UNIQUE INDEX roles_domain_name ON roles (ifnull(domain_id, ''), name);

CREATE TABLE implied_roles (
  prior_role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  implied_role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (prior_role_id, implied_role_id)
) STRICT;
-- keystone-manage bootstrap's default hierarchy, formerly hard-coded: admin implies member implies reader.
INSERT INTO implied_roles SELECT p.id, i.id FROM roles p, roles i WHERE p.name = 'admin' AND i.name = 'member' AND p.domain_id IS NULL AND i.domain_id IS NULL;
INSERT INTO implied_roles SELECT p.id, i.id FROM roles p, roles i WHERE p.name = 'member' AND i.name = 'reader' AND p.domain_id IS NULL AND i.domain_id IS NULL;
`,
};
