import type { Db } from '../core/db';
import { parseExtra } from './identity-store';
import type { Group } from './types';

interface GroupRow {
  id: string;
  domain_id: string;
  name: string;
  description: string;
  extra: string;
}

const toGroup = (r: GroupRow): Group => ({ id: r.id, domainId: r.domain_id, name: r.name, description: r.description, extra: parseExtra(r.extra) });

/** Groups and their members (the groups and group_members tables). */
export class GroupStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byId: db.prepare('SELECT * FROM groups WHERE id = ?'),
      byName: db.prepare('SELECT * FROM groups WHERE domain_id = ? AND name = ?'),
      all: db.prepare('SELECT * FROM groups ORDER BY name, id'),
      inDomain: db.prepare('SELECT id FROM groups WHERE domain_id = ?'),
      insert: db.prepare('INSERT INTO groups (id, domain_id, name, description, extra) VALUES (@id, @domain_id, @name, @description, @extra)'),
      update: db.prepare('UPDATE groups SET name = @name, description = @description, extra = @extra WHERE id = @id'),
      remove: db.prepare('DELETE FROM groups WHERE id = ?'),
      members: db.prepare('SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id'),
      groupsOf: db.prepare('SELECT g.* FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = ? ORDER BY g.name, g.id'),
      isMember: db.prepare('SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?'),
      add: db.prepare('INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)'),
      drop: db.prepare('DELETE FROM group_members WHERE group_id = ? AND user_id = ?'),
    };
  }

  group(id: string): Group | null {
    const r = this.s.byId.get(id) as GroupRow | undefined;
    return r ? toGroup(r) : null;
  }
  groupByName(domainId: string, name: string): Group | null {
    const r = this.s.byName.get(domainId, name) as GroupRow | undefined;
    return r ? toGroup(r) : null;
  }
  groups(): Group[] {
    return (this.s.all.all() as GroupRow[]).map(toGroup);
  }
  groupIdsInDomain(domainId: string): string[] {
    return (this.s.inDomain.all(domainId) as Array<{ id: string }>).map((r) => r.id);
  }
  save(g: Group, insert: boolean): void {
    const row = { id: g.id, domain_id: g.domainId, name: g.name, description: g.description, extra: JSON.stringify(g.extra) };
    if (insert) this.s.insert.run(row);
    else this.s.update.run(row);
  }
  remove(id: string): void {
    this.s.remove.run(id);
  }
  memberIds(groupId: string): string[] {
    return (this.s.members.all(groupId) as Array<{ user_id: string }>).map((r) => r.user_id);
  }
  groupsOf(userId: string): Group[] {
    return (this.s.groupsOf.all(userId) as GroupRow[]).map(toGroup);
  }
  isMember(groupId: string, userId: string): boolean {
    return this.s.isMember.get(groupId, userId) !== undefined;
  }
  addMember(groupId: string, userId: string): void {
    this.s.add.run(groupId, userId);
  }
  removeMember(groupId: string, userId: string): boolean {
    return this.s.drop.run(groupId, userId).changes > 0;
  }
}
