import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../core/db';

export interface TokenRow {
  token_hash: string;
  user_id: string;
  project_id: string | null;
  /** Comma-separated auth methods, e.g. "password" or "token,password". */
  methods: string;
  /** Comma-separated audit chain: this token's audit id, then the one it was rescoped from. */
  audit_id: string;
  issued_at: string;
  expires_at: string;
  revoked: number;
  domain_id: string | null;
  system: number;
  trust_id: string | null;
  application_credential_id: string | null;
}

/** What a token is scoped to, besides its user: at most one of project, domain and system; a trust or an application credential it came through. */
export interface TokenScope {
  projectId: string | null;
  domainId: string | null;
  system: boolean;
  trustId: string | null;
  appCredId: string | null;
}

export const UNSCOPED: TokenScope = { projectId: null, domainId: null, system: false, trustId: null, appCredId: null };

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Audit ids look like Keystone's: 16 random bytes, base64url (22 chars). */
export const newAuditId = (): string => randomBytes(16).toString('base64url');

// Only the sha256 of a token is stored, so a copied database holds no usable credential.
export class TokenStore {
  private readonly s;
  private lastPurge = 0;

  constructor(db: Db, private readonly now: () => number) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO tokens (token_hash, user_id, project_id, methods, audit_id, issued_at, expires_at, revoked, domain_id, system, trust_id, application_credential_id)
         VALUES (@token_hash, @user_id, @project_id, @methods, @audit_id, @issued_at, @expires_at, 0, @domain_id, @system, @trust_id, @application_credential_id)`,
      ),
      get: db.prepare('SELECT * FROM tokens WHERE token_hash = ?'),
      revoke: db.prepare('UPDATE tokens SET revoked = 1 WHERE token_hash = ? AND revoked = 0'),
      revokeUser: db.prepare('UPDATE tokens SET revoked = 1 WHERE user_id = ?'),
      purge: db.prepare('DELETE FROM tokens WHERE expires_at < ?'),
    };
  }

  /** Mints a token (gAAAAA… like a Fernet token, 48 random bytes) and records its hash. */
  create(spec: { userId: string; scope: TokenScope; methods: string[]; auditIds: string[]; issuedAt: string; expiresAt: string }): { token: string; row: TokenRow } {
    this.purgeSometimes();
    const token = 'gAAAAA' + randomBytes(48).toString('base64url');
    const row: TokenRow = {
      token_hash: hashToken(token),
      user_id: spec.userId,
      project_id: spec.scope.projectId,
      methods: spec.methods.join(','),
      audit_id: spec.auditIds.join(','),
      issued_at: spec.issuedAt,
      expires_at: spec.expiresAt,
      revoked: 0,
      domain_id: spec.scope.domainId,
      system: spec.scope.system ? 1 : 0,
      trust_id: spec.scope.trustId,
      application_credential_id: spec.scope.appCredId,
    };
    this.s.insert.run(row);
    return { token, row };
  }

  /** The scope a stored token carries. */
  static scopeOf(row: TokenRow): TokenScope {
    return { projectId: row.project_id, domainId: row.domain_id, system: row.system === 1, trustId: row.trust_id, appCredId: row.application_credential_id };
  }

  find(hash: string): TokenRow | null {
    return (this.s.get.get(hash) as TokenRow | undefined) ?? null;
  }

  /** Returns false when the token was unknown or already revoked. */
  revoke(hash: string): boolean {
    return this.s.revoke.run(hash).changes > 0;
  }

  revokeForUser(userId: string): void {
    this.s.revokeUser.run(userId);
  }

  // Expired rows are useless; drop them now and then (a day late, so "expired" stays distinguishable briefly).
  private purgeSometimes(): void {
    const now = this.now();
    if (now - this.lastPurge < 10 * 60 * 1000) return;
    this.lastPurge = now;
    this.s.purge.run(new Date(now - 24 * 3600 * 1000).toISOString());
  }
}
