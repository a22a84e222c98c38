// Delegation: application credentials (a user's secret for an application, on one project) and
// trusts (a user lends some of their roles on a project to another user).

/** One API call pattern an application credential may make: a service type, an HTTP method and a path glob. */
export interface AccessRule {
  id: string;
  service: string;
  /** Relative to the service's endpoint; `*` matches within one segment, `**` across segments, `{name}` like `*`. */
  path: string;
  method: string;
}

export interface AppCredential {
  id: string;
  userId: string;
  projectId: string;
  name: string;
  description: string | null;
  /** ISO timestamp with microseconds as the client gave them, or null for no expiry. */
  expiresAt: string | null;
  /** An unrestricted credential may create further application credentials and trusts. */
  unrestricted: boolean;
  roleIds: string[];
  /** Empty means any call the roles allow. */
  accessRules: AccessRule[];
  createdAt: string;
}

export interface AppCredentialInput {
  name: string;
  description?: string | null;
  /** Generated (86 URL-safe characters) when not given. */
  secret?: string;
  expiresAt?: string | null;
  /** By id or by name; defaults to every role the caller's token carries. */
  roles?: Array<{ id?: string; name?: string }>;
  unrestricted?: boolean;
  /** New rules, or one of the user's existing rules by id. */
  accessRules?: Array<{ id?: string; service?: string; path?: string; method?: string }>;
}

export interface Trust {
  id: string;
  trustorUserId: string;
  trusteeUserId: string;
  projectId: string | null;
  impersonation: boolean;
  expiresAt: string | null;
  /** Null means unlimited; each token issued through the trust uses one. */
  remainingUses: number | null;
  redelegationCount: number;
  redelegatedTrustId: string | null;
  roleIds: string[];
  createdAt: string;
}

export interface TrustInput {
  trustorUserId: string;
  trusteeUserId: string;
  projectId?: string | null;
  impersonation: boolean;
  expiresAt?: string | null;
  remainingUses?: number | null;
  roles?: Array<{ id?: string; name?: string }>;
}
