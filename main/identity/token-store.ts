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
}

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
        'INSERT INTO tokens (token_hash, user_id, project_id, methods, audit_id, issued_at, expires_at, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, 0)',
      ),
      get: db.prepare('SELECT * FROM tokens WHERE token_hash = ?'),
      revoke: db.prepare('UPDATE tokens SET revoked = 1 WHERE token_hash = ? AND revoked = 0'),
      revokeUser: db.prepare('UPDATE tokens SET revoked = 1 WHERE user_id = ?'),
      purge: db.prepare('DELETE FROM tokens WHERE expires_at < ?'),
    };
  }

  /** Mints a token (gAAAAA… like a Fernet token, 48 random bytes) and records its hash. */
  create(spec: { userId: string; projectId: string | null; methods: string[]; auditIds: string[]; issuedAt: string; expiresAt: string }): { token: string; row: TokenRow } {
    this.purgeSometimes();
    const token = 'gAAAAA' + randomBytes(48).toString('base64url');
    const row: TokenRow = {
      token_hash: hashToken(token),
      user_id: spec.userId,
      project_id: spec.projectId,
      methods: spec.methods.join(','),
      audit_id: spec.auditIds.join(','),
      issued_at: spec.issuedAt,
      expires_at: spec.expiresAt,
      revoked: 0,
    };
    this.s.insert.run(row.token_hash, row.user_id, row.project_id, row.methods, row.audit_id, row.issued_at, row.expires_at);
    return { token, row };
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
