import type { AccessRule } from './delegation-types';

// Plain views of Keystone's entities. Password hashes never leave the store.

export interface Domain {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  tags: string[];
  extra: Record<string, unknown>;
}

export interface Project {
  id: string;
  name: string;
  domainId: string;
  /** The parent project, or null for a top-level project (whose parent is its domain). */
  parentId: string | null;
  description: string;
  enabled: boolean;
  tags: string[];
  /** Attributes Keystone has no column for; handed back as given. */
  extra: Record<string, unknown>;
  createdAt: string;
  /** True for a domain seen through the projects API (Keystone's "project acting as a domain"). */
  isDomain?: boolean;
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
  /** Set for a domain-specific role: it never appears in tokens itself, only the global roles it implies. */
  domainId: string | null;
  description: string | null;
  extra: Record<string, unknown>;
}

/**
 * A role given to one actor (a user or a group) on one target (a project, a domain or the system).
 * Inherited assignments apply to the projects below the target, not to the target itself.
 */
export interface RoleAssignment {
  roleId: string;
  userId?: string;
  groupId?: string;
  projectId?: string;
  domainId?: string;
  system?: boolean;
  inherited?: boolean;
}

export interface Group {
  id: string;
  name: string;
  domainId: string;
  description: string;
  extra: Record<string, unknown>;
}

export interface NamedRef {
  id: string;
  name: string;
}

/** What a token stands for, as Keystone's token body describes it. */
export interface TokenData {
  methods: string[];
  user: NamedRef & { domain: NamedRef };
  /** Null unless the token is scoped to a project. */
  project: (NamedRef & { domain: NamedRef }) | null;
  /** Set for a domain-scoped token. */
  domain: NamedRef | null;
  /** True for a system-scoped token. */
  system: boolean;
  /** Effective roles on the scope (implied roles included); empty when unscoped. */
  roles: NamedRef[];
  /** Set when the token was issued through a trust (OS-TRUST:trust). */
  trust: { id: string; impersonation: boolean; trustorUserId: string; trusteeUserId: string } | null;
  /** Set when the token was issued for an application credential; with access rules it serves only matching calls. */
  applicationCredential: { id: string; name: string; restricted: boolean; accessRules: AccessRule[] } | null;
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

/** What a token may be scoped to; 'unscoped' asks explicitly for none (Keystone's "scope": "unscoped"). */
export type AuthScope = { project: EntityRef } | { domain: { id?: string; name?: string } } | { system: true } | { trust: string } | 'unscoped';

/** The `auth` object of POST /v3/auth/tokens, already shape-checked. */
export interface AuthRequest {
  methods: string[];
  password?: { user: EntityRef & { password: string } };
  token?: { id: string };
  /** By id, or by name with the owning user (by id, or by name and domain). */
  applicationCredential?: { id?: string; name?: string; user?: EntityRef; secret: string };
  scope?: AuthScope;
}

export interface ProjectInput {
  name: string;
  domainId?: string;
  parentId?: string | null;
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
  domainId?: string | null;
  description?: string | null;
  extra?: Record<string, unknown>;
}
