import type { Db } from '../core/db';
import type { AccessRule, AppCredential, Trust } from './delegation-types';

interface AppCredRow {
  id: string;
  user_id: string;
  project_id: string;
  name: string;
  description: string | null;
  secret_hash: string;
  expires_at: string | null;
  unrestricted: number;
  created_at: string;
}

interface TrustRow {
  id: string;
  trustor_user_id: string;
  trustee_user_id: string;
  project_id: string | null;
  impersonation: number;
  expires_at: string | null;
  remaining_uses: number | null;
  redelegation_count: number;
  redelegated_trust_id: string | null;
  created_at: string;
}

/** Application credentials and trusts, with the roles each carries (secrets only as scrypt hashes). */
export class DelegationStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      appCred: db.prepare('SELECT * FROM application_credentials WHERE id = ?'),
      appCredByName: db.prepare('SELECT * FROM application_credentials WHERE user_id = ? AND name = ?'),
      appCredsOf: db.prepare('SELECT * FROM application_credentials WHERE user_id = ? ORDER BY name, id'),
      insertAppCred: db.prepare(
        `INSERT INTO application_credentials (id, user_id, project_id, name, description, secret_hash, expires_at, unrestricted, created_at)
         VALUES (@id, @user_id, @project_id, @name, @description, @secret_hash, @expires_at, @unrestricted, @created_at)`,
      ),
      deleteAppCred: db.prepare('DELETE FROM application_credentials WHERE id = ?'),
      appCredRoles: db.prepare('SELECT role_id FROM application_credential_roles WHERE application_credential_id = ? ORDER BY role_id'),
      addAppCredRole: db.prepare('INSERT OR IGNORE INTO application_credential_roles (application_credential_id, role_id) VALUES (?, ?)'),
      appCredRules: db.prepare(
        'SELECT r.id, r.service, r.path, r.method FROM access_rules r JOIN application_credential_access_rules a ON a.access_rule_id = r.id WHERE a.application_credential_id = ? ORDER BY r.id',
      ),
      addAppCredRule: db.prepare('INSERT OR IGNORE INTO application_credential_access_rules (application_credential_id, access_rule_id) VALUES (?, ?)'),
      rule: db.prepare('SELECT id, service, path, method FROM access_rules WHERE id = ? AND user_id = ?'),
      ruleLike: db.prepare('SELECT id, service, path, method FROM access_rules WHERE user_id = ? AND service = ? AND path = ? AND method = ?'),
      rulesOf: db.prepare('SELECT id, service, path, method FROM access_rules WHERE user_id = ? ORDER BY id'),
      insertRule: db.prepare('INSERT INTO access_rules (id, user_id, service, path, method) VALUES (?, ?, ?, ?, ?)'),
      ruleInUse: db.prepare('SELECT 1 FROM application_credential_access_rules WHERE access_rule_id = ? LIMIT 1'),
      deleteRule: db.prepare('DELETE FROM access_rules WHERE id = ?'),
      trust: db.prepare('SELECT * FROM trusts WHERE id = ?'),
      trusts: db.prepare('SELECT * FROM trusts ORDER BY created_at, id'),
      insertTrust: db.prepare(
        `INSERT INTO trusts (id, trustor_user_id, trustee_user_id, project_id, impersonation, expires_at, remaining_uses, redelegation_count, redelegated_trust_id, created_at)
         VALUES (@id, @trustor_user_id, @trustee_user_id, @project_id, @impersonation, @expires_at, @remaining_uses, @redelegation_count, @redelegated_trust_id, @created_at)`,
      ),
      useTrust: db.prepare('UPDATE trusts SET remaining_uses = remaining_uses - 1 WHERE id = ? AND remaining_uses > 0'),
      deleteTrust: db.prepare('DELETE FROM trusts WHERE id = ?'),
      trustRoles: db.prepare('SELECT role_id FROM trust_roles WHERE trust_id = ? ORDER BY role_id'),
      addTrustRole: db.prepare('INSERT OR IGNORE INTO trust_roles (trust_id, role_id) VALUES (?, ?)'),
    };
  }

  appCred(id: string): { cred: AppCredential; secretHash: string } | null {
    const r = this.s.appCred.get(id) as AppCredRow | undefined;
    return r ? { cred: this.toAppCred(r), secretHash: r.secret_hash } : null;
  }
  appCredByName(userId: string, name: string): { cred: AppCredential; secretHash: string } | null {
    const r = this.s.appCredByName.get(userId, name) as AppCredRow | undefined;
    return r ? { cred: this.toAppCred(r), secretHash: r.secret_hash } : null;
  }
  appCredsOf(userId: string): AppCredential[] {
    return (this.s.appCredsOf.all(userId) as AppCredRow[]).map((r) => this.toAppCred(r));
  }
  /** Inserts the credential with its roles and rules; a rule without a stored twin for the user is stored first. */
  insertAppCred(c: AppCredential, secretHash: string): void {
    this.db.transaction(() => {
      for (const r of c.accessRules) if (!this.s.rule.get(r.id, c.userId)) this.s.insertRule.run(r.id, c.userId, r.service, r.path, r.method);
      this.s.insertAppCred.run({
        id: c.id,
        user_id: c.userId,
        project_id: c.projectId,
        name: c.name,
        description: c.description,
        secret_hash: secretHash,
        expires_at: c.expiresAt,
        unrestricted: c.unrestricted ? 1 : 0,
        created_at: c.createdAt,
      });
      for (const r of c.roleIds) this.s.addAppCredRole.run(c.id, r);
      for (const r of c.accessRules) this.s.addAppCredRule.run(c.id, r.id);
    })();
  }
  deleteAppCred(id: string): void {
    this.s.deleteAppCred.run(id);
  }

  accessRule(userId: string, id: string): AccessRule | null {
    return (this.s.rule.get(id, userId) as AccessRule | undefined) ?? null;
  }
  /** The user's stored rule with exactly this service, path and method, if any. */
  accessRuleLike(userId: string, r: Omit<AccessRule, 'id'>): AccessRule | null {
    return (this.s.ruleLike.get(userId, r.service, r.path, r.method) as AccessRule | undefined) ?? null;
  }
  accessRulesOf(userId: string): AccessRule[] {
    return this.s.rulesOf.all(userId) as AccessRule[];
  }
  accessRuleInUse(id: string): boolean {
    return this.s.ruleInUse.get(id) !== undefined;
  }
  deleteAccessRule(id: string): void {
    this.s.deleteRule.run(id);
  }

  trust(id: string): Trust | null {
    const r = this.s.trust.get(id) as TrustRow | undefined;
    return r ? this.toTrust(r) : null;
  }
  trusts(): Trust[] {
    return (this.s.trusts.all() as TrustRow[]).map((r) => this.toTrust(r));
  }
  insertTrust(t: Trust): void {
    this.db.transaction(() => {
      this.s.insertTrust.run({
        id: t.id,
        trustor_user_id: t.trustorUserId,
        trustee_user_id: t.trusteeUserId,
        project_id: t.projectId,
        impersonation: t.impersonation ? 1 : 0,
        expires_at: t.expiresAt,
        remaining_uses: t.remainingUses,
        redelegation_count: t.redelegationCount,
        redelegated_trust_id: t.redelegatedTrustId,
        created_at: t.createdAt,
      });
      for (const r of t.roleIds) this.s.addTrustRole.run(t.id, r);
    })();
  }
  /** Spends one use of a limited trust; false when none is left. Unlimited trusts always succeed. */
  useTrust(t: Trust): boolean {
    return t.remainingUses === null || this.s.useTrust.run(t.id).changes > 0;
  }
  deleteTrust(id: string): void {
    this.s.deleteTrust.run(id);
  }

  private toAppCred(r: AppCredRow): AppCredential {
    const roleIds = (this.s.appCredRoles.all(r.id) as Array<{ role_id: string }>).map((x) => x.role_id);
    return {
      id: r.id,
      userId: r.user_id,
      projectId: r.project_id,
      name: r.name,
      description: r.description,
      expiresAt: r.expires_at,
      unrestricted: r.unrestricted === 1,
      roleIds,
      accessRules: this.s.appCredRules.all(r.id) as AccessRule[],
      createdAt: r.created_at,
    };
  }

  private toTrust(r: TrustRow): Trust {
    const roleIds = (this.s.trustRoles.all(r.id) as Array<{ role_id: string }>).map((x) => x.role_id);
    return {
      id: r.id,
      trustorUserId: r.trustor_user_id,
      trusteeUserId: r.trustee_user_id,
      projectId: r.project_id,
      impersonation: r.impersonation === 1,
      expiresAt: r.expires_at,
      remainingUses: r.remaining_uses,
      redelegationCount: r.redelegation_count,
      redelegatedTrustId: r.redelegated_trust_id,
      roleIds,
      createdAt: r.created_at,
    };
  }
}
