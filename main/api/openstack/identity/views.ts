import type { CatalogEntry } from '../../../identity/catalog';
import type { Domain, Project, Role, TokenData, User } from '../../../identity/types';

/** Keystone prints microseconds: 2015-11-09T01:42:57.000000Z. */
export const keystoneTime = (iso: string): string => new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export const collection = (key: string, items: unknown[], self: string) => ({ [key]: items, links: { self, previous: null, next: null } });

export function projectView(p: Project, base: string) {
  return {
    ...p.extra,
    id: p.id,
    name: p.name,
    domain_id: p.domainId,
    description: p.description,
    enabled: p.enabled,
    parent_id: p.domainId,
    is_domain: false,
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
    domain_id: null,
    description: r.description,
    options: {},
    links: { self: `${base}/identity/v3/roles/${r.id}` },
  };
}

export function domainView(d: Domain, base: string) {
  return { id: d.id, name: d.name, description: d.description, enabled: d.enabled, tags: [], options: {}, links: { self: `${base}/identity/v3/domains/${d.id}` } };
}

/** The body of POST/GET /v3/auth/tokens. Unscoped tokens carry no project, roles or catalog, as in Keystone. */
export function tokenView(t: TokenData, catalog: CatalogEntry[] | null) {
  return {
    token: {
      methods: t.methods,
      user: { domain: t.user.domain, id: t.user.id, name: t.user.name, password_expires_at: null },
      audit_ids: t.auditIds,
      expires_at: keystoneTime(t.expiresAt),
      issued_at: keystoneTime(t.issuedAt),
      ...(t.project
        ? {
            project: { domain: t.project.domain, id: t.project.id, name: t.project.name },
            is_domain: false,
            roles: t.roles,
            ...(catalog ? { catalog } : {}),
          }
        : {}),
    },
  };
}
