import type { RequestContext } from '../core/context';
import { forbidden, unauthorized } from '../core/errors';
import { newHexId } from '../core/ids';
import { requireAdmin, type IdentityDeps } from './identity-deps';
import { duplicate, invalidInput, notFoundIn, policyDenied } from './identity-errors';
import { toUser } from './identity-store';
import { checkName } from './names';
import { hashPassword, verifyPassword } from './password-hash';
import type { User, UserInput, UserPatch } from './types';

export interface UserFilter {
  name?: string;
  domainId?: string;
  enabled?: boolean;
}

const MAX_PASSWORD = 4096;

function checkPassword(pw: string | null | undefined): string | null {
  if (pw === undefined || pw === null) return null;
  if (pw.length === 0 || pw.length > MAX_PASSWORD) throw invalidInput('password', `a password must be 1..${MAX_PASSWORD} characters long`);
  return pw;
}

/** Users with Keystone's rules; a non-admin sees and reads only themselves. */
export class UserManager {
  constructor(private readonly d: IdentityDeps) {}

  list(ctx: RequestContext, f: UserFilter = {}): User[] {
    const all = ctx.isAdmin ? this.d.store.users() : this.own(ctx);
    return all.filter((u) => (f.name === undefined || u.name === f.name) && (f.domainId === undefined || u.domainId === f.domainId) && (f.enabled === undefined || u.enabled === f.enabled));
  }

  get(ctx: RequestContext, id: string): User {
    const row = this.d.store.userRow(id);
    if (!row) throw notFoundIn('user', id);
    if (!ctx.isAdmin && ctx.userId !== id) throw policyDenied('get_user');
    return toUser(row);
  }

  /** The password is hashed off the event loop before the row is written. */
  async create(ctx: RequestContext, input: UserInput): Promise<User> {
    requireAdmin(ctx, 'create_user');
    const name = checkName('user', input.name);
    const domainId = input.domainId ?? 'default';
    if (!this.d.store.domain(domainId)) throw notFoundIn('domain', domainId);
    if (this.d.store.userRowByName(domainId, name)) throw duplicate('user', name, domainId);
    const defaultProjectId = this.checkProject(input.defaultProjectId);
    const password = checkPassword(input.password);
    const hash = password === null ? null : await hashPassword(password);
    // The hash took a while: the name may have been taken meanwhile.
    if (this.d.store.userRowByName(domainId, name)) throw duplicate('user', name, domainId);
    const u: User = {
      id: newHexId(),
      name,
      domainId,
      enabled: input.enabled ?? true,
      defaultProjectId,
      email: input.email ?? null,
      extra: input.extra ?? {},
      createdAt: new Date(this.d.now()).toISOString(),
    };
    this.d.store.saveUser(u, hash, true);
    this.d.bus.resource('user', u.id, defaultProjectId, 'created');
    return u;
  }

  async update(ctx: RequestContext, id: string, patch: UserPatch): Promise<User> {
    requireAdmin(ctx, 'update_user');
    const newPassword = patch.password !== undefined ? checkPassword(patch.password) : undefined;
    if (!this.d.store.userRow(id)) throw notFoundIn('user', id);
    const newHash = newPassword ? await hashPassword(newPassword) : null;
    // Read the row after hashing, so a change made meanwhile is not overwritten with stale values.
    const row = this.d.store.userRow(id);
    if (!row) throw notFoundIn('user', id);
    const cur = toUser(row);
    const next: User = {
      ...cur,
      name: patch.name !== undefined ? checkName('user', patch.name) : cur.name,
      enabled: patch.enabled ?? cur.enabled,
      defaultProjectId: patch.defaultProjectId !== undefined ? this.checkProject(patch.defaultProjectId) : cur.defaultProjectId,
      email: patch.email !== undefined ? patch.email : cur.email,
      extra: { ...cur.extra, ...patch.extra },
    };
    if (next.name !== cur.name && this.d.store.userRowByName(cur.domainId, next.name)) throw duplicate('user', next.name, cur.domainId);
    if (!next.enabled && id === this.d.protectedIds().userId) throw forbidden(`User ${cur.name} is DeskStack's local administrator and cannot be disabled.`);
    const hash = newPassword === undefined ? row.password_hash : newHash;
    this.d.store.saveUser(next, hash, false);
    // Like Keystone: a new password or a disabled account ends every token the user holds.
    if (newPassword !== undefined || !next.enabled) this.d.tokens.revokeForUser(id);
    this.d.changed();
    this.d.bus.resource('user', id, next.defaultProjectId, 'updated');
    return next;
  }

  delete(ctx: RequestContext, id: string): void {
    requireAdmin(ctx, 'delete_user');
    const row = this.d.store.userRow(id);
    if (!row) throw notFoundIn('user', id);
    if (id === this.d.protectedIds().userId) throw forbidden(`User ${row.name} is DeskStack's local administrator and cannot be deleted.`);
    this.d.store.deleteUser(id);
    this.d.changed();
    this.d.bus.resource('user', id, row.default_project_id, 'deleted');
  }

  /** Self-service password change (POST /v3/users/{id}/password): the original password is the proof; ends the user's tokens. */
  async changePassword(id: string, original: string, password: string): Promise<void> {
    const row = this.d.store.userRow(id);
    const ok = await verifyPassword(original, row?.password_hash ?? null);
    if (!row || !ok || row.enabled !== 1) throw unauthorized();
    const hash = await hashPassword(checkPassword(password) ?? '');
    const fresh = this.d.store.userRow(id);
    if (!fresh || fresh.password_hash !== row.password_hash) throw unauthorized();
    this.d.store.saveUser(toUser(fresh), hash, false);
    this.d.tokens.revokeForUser(id);
    this.d.changed();
    this.d.bus.resource('user', id, row.default_project_id, 'updated');
  }


  private own(ctx: RequestContext): User[] {
    const row = this.d.store.userRow(ctx.userId);
    return row ? [toUser(row)] : [];
  }

  private checkProject(id: string | null | undefined): string | null {
    if (id === undefined || id === null) return null;
    if (!this.d.store.project(id)) throw invalidInput('default_project_id', `project ${id} does not exist`);
    return id;
  }
}
