import type { Migration } from './index';

// Glance's image members: an owner shares a `shared` image with another project, which accepts or rejects it.
export const migration: Migration = {
  version: 17,
  name: 'image: members',
  sql: `
CREATE TABLE image_members (
  image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  member_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','rejected')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (image_id, member_id)
) STRICT;
CREATE INDEX image_members_member ON image_members(member_id);
`,
};
