import type { Migration } from './index';

// Nova's quota classes: the 'default' class holds the defaults every project without its own limit gets.
export const migration: Migration = {
  version: 16,
  name: 'compute: quota classes',
  sql: `
CREATE TABLE quota_classes (
  class_name TEXT NOT NULL,
  resource TEXT NOT NULL,
  hard_limit INTEGER NOT NULL,
  PRIMARY KEY (class_name, resource)
) STRICT;
`,
};
