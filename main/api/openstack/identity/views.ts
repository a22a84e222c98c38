import type { CatalogEntry } from '../../../identity/catalog';
import type { Domain, Group, Project, Role, TokenData, User } from '../../../identity/types';

/** Keystone prints microseconds: 2015-11-09T01:42:57.000000Z. */
export const keystoneTime = (iso: string): string => new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export const collection = (key: string, items: unknown[], self: string) => ({ [key]: items, links: { self, previous: null, next: null } });

export function projectView(p: Project, base: string) {
  return {
    ...p.extra,
    id: p.id,
    name: p.name,
    domain_id: p.isDomain ? null : p.domainId,
    description: p.description,
    enabled: p.enabled,
    parent_id: p.isDomain ? null : (p.parentId ?? p.domainId),
    is_domain: p.isDomain ?? false,
    tags: p.tags,
    options: {},
    links: { self: `${base}/identity/v3/projects/${p.id}` },
  };
}

export function userView(u: User, base: string) {
  return {
    ...u.extra,
    id: u.id,
    name: u.name,
    domain_id: u.domainId,
    enabled: u.enabled,
    ...(u.defaultProjectId ? { default_project_id: u.defaultProjectId } : {}),
    ...(u.email ? { email: u.email } : {}),
    password_expires_at: null,
    options: {},
    links: { self: `${base}/identity/v3/users/${u.id}` },
  };
}

export function roleView(r: Role, base: string) {
  return {
    ...r.extra,
    id: r.id,
    name: r.name,
    domain_id: r.domainId,
    description: r.description,
    options: {},
    links: { self: `${base}/identity/v3/roles/${r.id}` },
  };
}

export function domainView(d: Domain, base: string) {
  return { ...d.extra, id: d.id, name: d.name, description: d.description, enabled: d.enabled, tags: d.tags, options: {}, links: { self: `${base}/identity/v3/domains/${d.id}` } };
}

export function groupView(g: Group, base: string) {
  return { ...g.extra, id: g.id, name: g.name, domain_id: g.domainId, description: g.description, links: { self: `${base}/identity/v3/groups/${g.id}` } };
}

/** The body of POST/GET /v3/auth/tokens. Unscoped tokens carry no scope, roles or catalog, as in Keystone. */
export function tokenView(t: TokenData, catalog: CatalogEntry[] | null) {
  const scoped = t.project !== null || t.domain !== null || t.system;
  return {
    token: {
      methods: t.methods,
      user: { domain: t.user.domain, id: t.user.id, name: t.user.name, password_expires_at: null },
      audit_ids: t.auditIds,
      expires_at: keystoneTime(t.expiresAt),
      issued_at: keystoneTime(t.issuedAt),
      ...(t.project ? { project: { domain: t.project.domain, id: t.project.id, name: t.project.name }, is_domain: false } : {}),
      ...(t.domain ? { domain: t.domain } : {}),
      ...(t.system ? { system: { all: true } } : {}),
      ...(scoped ? { roles: t.roles, ...(catalog ? { catalog } : {}) } : {}),
      ...(t.trust
        ? {
            'OS-TRUST:trust': {
              id: t.trust.id,
              impersonation: t.trust.impersonation,
              trustee_user: { id: t.trust.trusteeUserId },
              trustor_user: { id: t.trust.trustorUserId },
            },
          }
        : {}),
      ...(t.applicationCredential
        ? {
            application_credential: {
              id: t.applicationCredential.id,
              name: t.applicationCredential.name,
              restricted: t.applicationCredential.restricted,
              ...(t.applicationCredential.accessRules.length ? { access_rules: t.applicationCredential.accessRules } : {}),
            },
          }
        : {}),
    },
  };
}
