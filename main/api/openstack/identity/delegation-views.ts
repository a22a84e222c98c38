import type { AccessRule, AppCredential, Trust } from '../../../identity/delegation-types';
import type { Credential, Ec2Credential } from '../../../identity/credential-manager';
import type { OAuthConsumer } from '../../../identity/oauth-consumer-manager';
import type { Policy } from '../../../identity/policy-manager';
import type { Role } from '../../../identity/types';
import { roleView } from './views';

// Application credentials print their expiry as given, with microseconds and no zone (Keystone's form).
const appCredTime = (canonical: string | null): string | null => (canonical ? canonical.replace(/Z$/, '') : null);

export const accessRuleView = (r: AccessRule) => ({ id: r.id, service: r.service, path: r.path, method: r.method });

export function appCredView(c: AppCredential, roles: Role[], base: string, secret?: string) {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    user_id: c.userId,
    project_id: c.projectId,
    expires_at: appCredTime(c.expiresAt),
    unrestricted: c.unrestricted,
    roles: roles.map((r) => ({ id: r.id, name: r.name, domain_id: r.domainId })),
    access_rules: c.accessRules.map(accessRuleView),
    ...(secret !== undefined ? { secret } : {}),
    links: { self: `${base}/identity/v3/users/${c.userId}/application_credentials/${c.id}` },
  };
}

export function trustView(t: Trust, roles: Role[], base: string) {
  return {
    id: t.id,
    trustor_user_id: t.trustorUserId,
    trustee_user_id: t.trusteeUserId,
    project_id: t.projectId,
    impersonation: t.impersonation,
    // Canonical timestamps are already Keystone's form: 2030-01-01T12:00:00.000000Z.
    expires_at: t.expiresAt,
    remaining_uses: t.remainingUses,
    redelegation_count: t.redelegationCount,
    redelegated_trust_id: t.redelegatedTrustId,
    allow_redelegation: false,
    deleted_at: null,
    roles: roles.map((r) => roleView(r, base)),
    roles_links: { self: `${base}/identity/v3/OS-TRUST/trusts/${t.id}/roles`, previous: null, next: null },
    links: { self: `${base}/identity/v3/OS-TRUST/trusts/${t.id}` },
  };
}

export function credentialView(c: Credential, base: string) {
  return { ...c.extra, id: c.id, user_id: c.userId, project_id: c.projectId, type: c.type, blob: c.blob, links: { self: `${base}/identity/v3/credentials/${c.id}` } };
}

export function ec2View(c: Ec2Credential, base: string) {
  return {
    access: c.access,
    secret: c.secret,
    user_id: c.userId,
    tenant_id: c.projectId,
    trust_id: c.trustId,
    links: { self: `${base}/identity/v3/users/${c.userId}/credentials/OS-EC2/${c.access}` },
  };
}

export function policyView(p: Policy, base: string) {
  return { ...p.extra, id: p.id, type: p.type, blob: p.blob, links: { self: `${base}/identity/v3/policies/${p.id}` } };
}

export function consumerView(c: OAuthConsumer, base: string, secret?: string) {
  return { ...c.extra, id: c.id, description: c.description, ...(secret !== undefined ? { secret } : {}), links: { self: `${base}/identity/v3/OS-OAUTH1/consumers/${c.id}` } };
}
