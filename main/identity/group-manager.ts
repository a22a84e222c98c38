import type { RequestContext } from '../core/context';
import { newHexId } from '../core/ids';
import { requireAdmin, type IdentityDeps } from './identity-deps';
import { duplicate, notFoundIn, policyDenied } from './identity-errors';
import { toUser } from './identity-store';
import { checkName } from './names';
import type { Group, User } from './types';

export interface GroupInput {
  name: string;
  domainId?: string;
  description?: string;
  extra?: Record<string, unknown>;
}

/** Groups and membership. A group's roles reach every member; only an admin changes groups. */
export class GroupManager {
  constructor(private readonly d: IdentityDeps) {}

  list(ctx: RequestContext, f: { name?: string; domainId?: string } = {}): Group[] {
    requireAdmin(ctx, 'list_groups');
    return this.d.groups.groups().filter((g) => (f.name === undefined || g.name === f.name) && (f.domainId === undefined || g.domainId === f.domainId));
  }

  get(ctx: RequestContext, id: string): Group {
    const g = this.d.groups.group(id);
    if (!g) throw notFoundIn('group', id);
    if (!ctx.isAdmin && !this.d.groups.isMember(id, ctx.userId)) throw policyDenied('get_group');
    return g;
  }

  /** Looks a group up by id without policy (for views); null when absent. */
  find(id: string): Group | null {
    return this.d.groups.group(id);
  }

  create(ctx: RequestContext, input: GroupInput): Group {
    requireAdmin(ctx, 'create_group');
    const name = checkName('group', input.name);
    const domainId = input.domainId ?? 'default';
    if (!this.d.store.domain(domainId)) throw notFoundIn('domain', domainId);
    if (this.d.groups.groupByName(domainId, name)) throw duplicate('group', name, domainId);
    const g: Group = { id: newHexId(), name, domainId, description: input.description ?? '', extra: input.extra ?? {} };
    this.d.groups.save(g, true);
    this.d.bus.resource('group', g.id, null, 'created');
    return g;
  }

  update(ctx: RequestContext, id: string, patch: Partial<Omit<GroupInput, 'domainId'>>): Group {
    requireAdmin(ctx, 'update_group');
    const cur = this.get(ctx, id);
    const name = patch.name !== undefined ? checkName('group', patch.name) : cur.name;
    if (name !== cur.name && this.d.groups.groupByName(cur.domainId, name)) throw duplicate('group', name, cur.domainId);
    const next: Group = { ...cur, name, description: patch.description ?? cur.description, extra: { ...cur.extra, ...patch.extra } };
    this.d.groups.save(next, false);
    this.d.bus.resource('group', id, null, 'updated');
    return next;
  }

  /** Deleting a group takes its role assignments with it, so its members lose those roles at once. */
  delete(ctx: RequestContext, id: string): void {
    requireAdmin(ctx, 'delete_group');
    this.get(ctx, id);
    this.d.groups.remove(id);
    this.d.changed();
    this.d.bus.resource('group', id, null, 'deleted');
  }

  members(ctx: RequestContext, groupId: string): User[] {
    requireAdmin(ctx, 'list_users_in_group');
    this.get(ctx, groupId);
    return this.d.groups.memberIds(groupId).flatMap((id) => {
      const row = this.d.store.userRow(id);
      return row ? [toUser(row)] : [];
    });
  }

  addMember(ctx: RequestContext, groupId: string, userId: string): void {
    requireAdmin(ctx, 'add_user_to_group');
    this.requirePair(ctx, groupId, userId);
    this.d.groups.addMember(groupId, userId);
    this.d.changed();
    this.d.bus.resource('group', groupId, null, 'updated');
  }

  /** HEAD /v3/groups/{g}/users/{u}: true when the user is a member (the user themselves may ask). */
  isMember(ctx: RequestContext, groupId: string, userId: string): boolean {
    if (!ctx.isAdmin && ctx.userId !== userId) throw policyDenied('check_user_in_group');
    if (!this.d.groups.group(groupId)) throw notFoundIn('group', groupId);
    if (!this.d.store.userRow(userId)) throw notFoundIn('user', userId);
    return this.d.groups.isMember(groupId, userId);
  }

  removeMember(ctx: RequestContext, groupId: string, userId: string): void {
    requireAdmin(ctx, 'remove_user_from_group');
    this.requirePair(ctx, groupId, userId);
    if (!this.d.groups.removeMember(groupId, userId)) throw notFoundIn('membership', `user ${userId} in group ${groupId}`);
    this.d.changed();
    this.d.bus.resource('group', groupId, null, 'updated');
  }

  /** GET /v3/users/{id}/groups: the user themselves or an admin. */
  groupsOf(ctx: RequestContext, userId: string): Group[] {
    if (!ctx.isAdmin && ctx.userId !== userId) throw policyDenied('list_groups_for_user');
    if (!this.d.store.userRow(userId)) throw notFoundIn('user', userId);
    return this.d.groups.groupsOf(userId);
  }

  private requirePair(ctx: RequestContext, groupId: string, userId: string): void {
    this.get(ctx, groupId);
    if (!this.d.store.userRow(userId)) throw notFoundIn('user', userId);
  }
}
