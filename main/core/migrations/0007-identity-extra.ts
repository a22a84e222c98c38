import type { Migration } from './index';

// Keystone keeps attributes it has no column for ("extra") and hands them back; so do we.
export const migration: Migration = {
  version: 7,
  name: 'identity: extra attributes on projects, users and roles',
  sql: `
ALTER TABLE projects ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
ALTER TABLE roles ADD COLUMN description TEXT;
ALTER TABLE roles ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
CREATE INDEX tokens_user ON tokens(user_id);
CREATE INDEX role_assignments_project ON role_assignments(project_id);
`,
};
