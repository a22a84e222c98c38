// Plain views of Keystone's entities. Password hashes never leave the store.

export interface Domain {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
}

export interface Project {
  id: string;
  name: string;
  domainId: string;
  description: string;
  enabled: boolean;
  tags: string[];
  /** Attributes Keystone has no column for; handed back as given. */
  extra: Record<string, unknown>;
  createdAt: string;
}

export interface User {
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
  defaultProjectId: string | null;
  email: string | null;
  extra: Record<string, unknown>;
  createdAt: string;
}

export interface Role {
  id: string;
  name: string;
  description: string | null;
  extra: Record<string, unknown>;
}

export interface RoleAssignment {
  userId: string;
  projectId: string;
  roleId: string;
}

export interface NamedRef {
  id: string;
  name: string;
}

/** What a token stands for, as Keystone's token body describes it. */
export interface TokenData {
  methods: string[];
  user: NamedRef & { domain: NamedRef };
  /** Null for an unscoped token. */
  project: (NamedRef & { domain: NamedRef }) | null;
  /** Effective roles on the project (implied roles included); empty when unscoped. */
  roles: NamedRef[];
  auditIds: string[];
  /** ISO timestamps with milliseconds. */
  issuedAt: string;
  expiresAt: string;
}

/** Keystone's JSON reference to a user, project or domain: by id, or by name within a domain. */
export interface EntityRef {
  id?: string;
  name?: string;
  domain?: { id?: string; name?: string };
}

/** The `auth` object of POST /v3/auth/tokens, already shape-checked. */
export interface AuthRequest {
  methods: string[];
  password?: { user: EntityRef & { password: string } };
  token?: { id: string };
  /** 'unscoped' asks explicitly for no scope (Keystone's "scope": "unscoped"). */
  scope?: { project: EntityRef } | 'unscoped';
}

export interface ProjectInput {
  name: string;
  domainId?: string;
  description?: string;
  enabled?: boolean;
  tags?: string[];
  extra?: Record<string, unknown>;
}

export interface ProjectPatch {
  name?: string;
  description?: string;
  enabled?: boolean;
  tags?: string[];
  extra?: Record<string, unknown>;
}

export interface UserInput {
  name: string;
  domainId?: string;
  password?: string | null;
  enabled?: boolean;
  defaultProjectId?: string | null;
  email?: string | null;
  extra?: Record<string, unknown>;
}

export type UserPatch = Partial<Omit<UserInput, 'domainId'>>;

export interface RoleInput {
  name: string;
  description?: string | null;
  extra?: Record<string, unknown>;
}
