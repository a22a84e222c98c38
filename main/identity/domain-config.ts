import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { forbidden } from '../core/errors';
import { requireAdmin } from './identity-deps';
import { notFoundIn } from './identity-errors';
import type { IdentityStore } from './identity-store';

export type DomainConfig = Record<string, Record<string, unknown>>;

// The options Keystone lets a domain override, with Keystone's defaults. DeskStack itself has only the SQL
// identity driver: a stored configuration is kept and returned, as Keystone does with domain drivers off.
const DEFAULTS: DomainConfig = {
  identity: { driver: 'sql', list_limit: null },
  ldap: {
    url: 'ldap://localhost', user: null, suffix: 'cn=example,cn=com', query_scope: 'one', page_size: 0, alias_dereferencing: 'default', debug_level: null,
    chase_referrals: null, user_tree_dn: null, user_filter: null, user_objectclass: 'inetOrgPerson', user_id_attribute: 'cn', user_name_attribute: 'sn',
    user_description_attribute: 'description', user_mail_attribute: 'mail', user_pass_attribute: 'userPassword', user_enabled_attribute: 'enabled',
    user_enabled_invert: false, user_enabled_mask: 0, user_enabled_default: 'True', user_attribute_ignore: ['default_project_id'],
    user_default_project_id_attribute: null, user_enabled_emulation: false, user_enabled_emulation_dn: null, user_enabled_emulation_use_group_config: false,
    user_additional_attribute_mapping: [], group_tree_dn: null, group_filter: null, group_objectclass: 'groupOfNames', group_id_attribute: 'cn',
    group_name_attribute: 'ou', group_member_attribute: 'member', group_members_are_ids: false, group_desc_attribute: 'description',
    group_attribute_ignore: [], group_additional_attribute_mapping: [], tls_cacertfile: null, tls_cacertdir: null, use_tls: false, tls_req_cert: 'demand',
    use_pool: true, pool_size: 10, pool_retry_max: 3, pool_retry_delay: 0.1, pool_connection_timeout: -1, pool_connection_lifetime: 600,
    use_auth_pool: true, auth_pool_size: 100, auth_pool_connection_lifetime: 60,
  },
};
// Accepted when set, never shown back.
const SENSITIVE: Record<string, string[]> = { ldap: ['password'] };

function checkOption(group: string, option: string): void {
  if (!DEFAULTS[group]) throw forbidden(`Invalid domain specific configuration: group ${JSON.stringify(group.slice(0, 40))} is not supported; use identity or ldap.`);
  if (!(option in DEFAULTS[group]) && !(SENSITIVE[group] ?? []).includes(option))
    throw forbidden(`Invalid domain specific configuration: option ${JSON.stringify(option.slice(0, 40))} is not supported in group ${group}.`);
}

function checkConfig(config: DomainConfig): DomainConfig {
  if (Object.keys(config).length === 0) throw forbidden('Invalid domain specific configuration: the configuration is empty.');
  for (const [group, options] of Object.entries(config)) {
    if (!options || typeof options !== 'object' || Array.isArray(options)) throw forbidden(`Invalid domain specific configuration: group ${group} must be an object of options.`);
    for (const option of Object.keys(options)) checkOption(group, option);
  }
  return config;
}

const withoutSensitive = (config: DomainConfig): DomainConfig =>
  Object.fromEntries(Object.entries(config).map(([g, opts]) => [g, Object.fromEntries(Object.entries(opts).filter(([o]) => !(SENSITIVE[g] ?? []).includes(o)))]));

/** Domain-specific configuration (/v3/domains/{id}/config): the identity and ldap options a domain overrides. Admin only. */
export class DomainConfigManager {
  private readonly s;

  constructor(
    db: Db,
    private readonly store: IdentityStore,
  ) {
    this.s = {
      get: db.prepare('SELECT config FROM domain_configs WHERE domain_id = ?'),
      put: db.prepare('INSERT INTO domain_configs (domain_id, config) VALUES (?, ?) ON CONFLICT(domain_id) DO UPDATE SET config = excluded.config'),
      remove: db.prepare('DELETE FROM domain_configs WHERE domain_id = ?'),
    };
  }

  defaults(ctx: RequestContext, group?: string, option?: string): DomainConfig | Record<string, unknown> {
    requireAdmin(ctx, 'get_domain_config_default');
    if (group === undefined) return DEFAULTS;
    checkOption(group, option ?? Object.keys(DEFAULTS[group] ?? {})[0] ?? '');
    return option === undefined ? { [group]: DEFAULTS[group] } : { [option]: DEFAULTS[group][option] };
  }

  /** PUT: replaces the whole configuration; created is false when one existed (200 rather than 201). */
  replace(ctx: RequestContext, domainId: string, config: DomainConfig): { config: DomainConfig; created: boolean } {
    requireAdmin(ctx, 'create_domain_config');
    const created = this.stored(domainId) === null;
    this.s.put.run(domainId, JSON.stringify(checkConfig(config)));
    return { config: withoutSensitive(config), created };
  }

  /** The whole configuration, one group, or one option; 404 when that part is not set. */
  get(ctx: RequestContext, domainId: string, group?: string, option?: string): Record<string, unknown> {
    requireAdmin(ctx, 'get_domain_config');
    const config = withoutSensitive(this.require(domainId));
    if (group === undefined) return config;
    if (group !== undefined && option !== undefined) checkOption(group, option);
    const g = config[group];
    if (!g) throw notFoundIn('domain config group', `${group} of domain ${domainId}`);
    if (option === undefined) return { [group]: g };
    if (!(option in g)) throw notFoundIn('domain config option', `${group}.${option} of domain ${domainId}`);
    return { [option]: g[option] };
  }

  /** PATCH: merges options into the configuration (or into one group, or sets one option); returns the whole of it. */
  update(ctx: RequestContext, domainId: string, patch: Record<string, unknown>, group?: string, option?: string): DomainConfig {
    requireAdmin(ctx, 'update_domain_config');
    const cur = this.require(domainId);
    let next: DomainConfig;
    if (group === undefined) next = merge(cur, checkConfig(patch as DomainConfig));
    else if (option === undefined) {
      const body = (patch[group] ?? patch) as Record<string, unknown>;
      next = merge(cur, checkConfig({ [group]: body }));
    } else {
      checkOption(group, option);
      if (!(option in patch)) throw forbidden(`Invalid domain specific configuration: the body must set option ${option}.`);
      next = merge(cur, { [group]: { [option]: patch[option] } });
    }
    if (group !== undefined && !cur[group]) throw notFoundIn('domain config group', `${group} of domain ${domainId}`);
    this.s.put.run(domainId, JSON.stringify(next));
    return withoutSensitive(next);
  }

  delete(ctx: RequestContext, domainId: string, group?: string, option?: string): void {
    requireAdmin(ctx, 'delete_domain_config');
    const cur = this.require(domainId);
    if (group === undefined) {
      this.s.remove.run(domainId);
      return;
    }
    if (!cur[group]) throw notFoundIn('domain config group', `${group} of domain ${domainId}`);
    const next = { ...cur };
    if (option === undefined) delete next[group];
    else {
      if (!(option in cur[group])) throw notFoundIn('domain config option', `${group}.${option} of domain ${domainId}`);
      const { [option]: _gone, ...rest } = cur[group];
      next[group] = rest;
    }
    if (Object.keys(next).length === 0) this.s.remove.run(domainId);
    else this.s.put.run(domainId, JSON.stringify(next));
  }

  private stored(domainId: string): DomainConfig | null {
    if (!this.store.domain(domainId)) throw notFoundIn('domain', domainId);
    const row = this.s.get.get(domainId) as { config: string } | undefined;
    return row ? (JSON.parse(row.config) as DomainConfig) : null;
  }

  private require(domainId: string): DomainConfig {
    const c = this.stored(domainId);
    if (!c) throw notFoundIn('domain config', domainId);
    return c;
  }
}

const merge = (a: DomainConfig, b: DomainConfig): DomainConfig => {
  const out: DomainConfig = { ...a };
  for (const [g, opts] of Object.entries(b)) out[g] = { ...(a[g] ?? {}), ...opts };
  return out;
};
