import type { Db } from '../core/db';
import type { RoleAssignment } from './types';

interface AssignmentRow {
  role_id: string;
  user_id: string | null;
  group_id: string | null;
  project_id: string | null;
  domain_id: string | null;
  system: number;
  inherited: number;
}

const toAssignment = (r: AssignmentRow): RoleAssignment => ({
  roleId: r.role_id,
  ...(r.user_id ? { userId: r.user_id } : { groupId: r.group_id ?? '' }),
  ...(r.project_id ? { projectId: r.project_id } : r.domain_id ? { domainId: r.domain_id } : { system: true }),
  inherited: r.inherited === 1,
});

const toRow = (a: RoleAssignment): AssignmentRow => ({
  role_id: a.roleId,
  user_id: a.userId ?? null,
  group_id: a.groupId ?? null,
  project_id: a.projectId ?? null,
  domain_id: a.domainId ?? null,
  system: a.system ? 1 : 0,
  inherited: a.inherited ? 1 : 0,
});

const MATCH = `role_id = @role_id AND ifnull(user_id, '') = ifnull(@user_id, '') AND ifnull(group_id, '') = ifnull(@group_id, '')
  AND ifnull(project_id, '') = ifnull(@project_id, '') AND ifnull(domain_id, '') = ifnull(@domain_id, '') AND system = @system AND inherited = @inherited`;

/** Role assignments and role inference rules (the assignments and implied_roles tables). */
export class AssignmentStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      all: db.prepare('SELECT * FROM assignments ORDER BY project_id, domain_id, user_id, group_id, role_id'),
      // Everything a user holds, directly or through any group they belong to.
      ofUser: db.prepare('SELECT * FROM assignments WHERE user_id = ? OR group_id IN (SELECT group_id FROM group_members WHERE user_id = ?)'),
      has: db.prepare(`SELECT 1 FROM assignments WHERE ${MATCH}`),
      insert: db.prepare(
        `INSERT OR IGNORE INTO assignments (role_id, user_id, group_id, project_id, domain_id, system, inherited)
         VALUES (@role_id, @user_id, @group_id, @project_id, @domain_id, @system, @inherited)`,
      ),
      remove: db.prepare(`DELETE FROM assignments WHERE ${MATCH}`),
      rules: db.prepare('SELECT prior_role_id, implied_role_id FROM implied_roles ORDER BY prior_role_id, implied_role_id'),
      hasRule: db.prepare('SELECT 1 FROM implied_roles WHERE prior_role_id = ? AND implied_role_id = ?'),
      addRule: db.prepare('INSERT OR IGNORE INTO implied_roles (prior_role_id, implied_role_id) VALUES (?, ?)'),
      removeRule: db.prepare('DELETE FROM implied_roles WHERE prior_role_id = ? AND implied_role_id = ?'),
    };
  }

  all(): RoleAssignment[] {
    return (this.s.all.all() as AssignmentRow[]).map(toAssignment);
  }
  /** The user's own assignments and those of their groups. */
  ofUser(userId: string): RoleAssignment[] {
    return (this.s.ofUser.all(userId, userId) as AssignmentRow[]).map(toAssignment);
  }
  has(a: RoleAssignment): boolean {
    return this.s.has.get(toRow(a)) !== undefined;
  }
  insert(a: RoleAssignment): void {
    this.s.insert.run(toRow(a));
  }
  remove(a: RoleAssignment): boolean {
    return this.s.remove.run(toRow(a)).changes > 0;
  }

  /** Every inference rule as [prior, implied] role ids. */
  rules(): Array<[string, string]> {
    return (this.s.rules.all() as Array<{ prior_role_id: string; implied_role_id: string }>).map((r) => [r.prior_role_id, r.implied_role_id]);
  }
  hasRule(prior: string, implied: string): boolean {
    return this.s.hasRule.get(prior, implied) !== undefined;
  }
  addRule(prior: string, implied: string): void {
    this.s.addRule.run(prior, implied);
  }
  removeRule(prior: string, implied: string): boolean {
    return this.s.removeRule.run(prior, implied).changes > 0;
  }
}
