import type { Db } from '../core/db';
import type { Domain, Project, Role, RoleAssignment, User } from './types';

interface ProjectRow {
  id: string;
  domain_id: string;
  name: string;
  description: string;
  enabled: number;
  created_at: string;
  extra: string;
}

export interface UserRow {
  id: string;
  domain_id: string;
  name: string;
  password_hash: string | null;
  enabled: number;
  default_project_id: string | null;
  email: string | null;
  created_at: string;
  extra: string;
}

interface RoleRow {
  id: string;
  name: string;
  description: string | null;
  extra: string;
}

interface DomainRow {
  id: string;
  name: string;
  description: string;
  enabled: number;
}

const parseExtra = (s: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const toDomain = (r: DomainRow): Domain => ({ id: r.id, name: r.name, description: r.description, enabled: r.enabled === 1 });

const toProject = (r: ProjectRow): Project => {
  const { tags, ...extra } = parseExtra(r.extra);
  return {
    id: r.id,
    name: r.name,
    domainId: r.domain_id,
    description: r.description,
    enabled: r.enabled === 1,
    tags: Array.isArray(tags) ? tags.map(String) : [],
    extra,
    createdAt: r.created_at,
  };
};

export const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  domainId: r.domain_id,
  enabled: r.enabled === 1,
  defaultProjectId: r.default_project_id,
  email: r.email,
  extra: parseExtra(r.extra),
  createdAt: r.created_at,
});

const toRole = (r: RoleRow): Role => ({ id: r.id, name: r.name, description: r.description, extra: parseExtra(r.extra) });

/** Row access for the identity tables; every statement is prepared once. */
export class IdentityStore {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = {
      domainById: db.prepare('SELECT * FROM domains WHERE id = ?'),
      domainByName: db.prepare('SELECT * FROM domains WHERE name = ?'),
      domains: db.prepare('SELECT * FROM domains ORDER BY name'),
      insertDomain: db.prepare('INSERT INTO domains (id, name, description, enabled) VALUES (?, ?, ?, 1)'),
      projectById: db.prepare('SELECT * FROM projects WHERE id = ?'),
      projectByName: db.prepare('SELECT * FROM projects WHERE domain_id = ? AND name = ?'),
      projects: db.prepare('SELECT * FROM projects ORDER BY name, id'),
      projectsForUser: db.prepare(
        'SELECT DISTINCT p.* FROM projects p JOIN role_assignments a ON a.project_id = p.id WHERE a.user_id = ? ORDER BY p.name, p.id',
      ),
      insertProject: db.prepare(
        'INSERT INTO projects (id, domain_id, name, description, enabled, created_at, extra) VALUES (@id, @domain_id, @name, @description, @enabled, @created_at, @extra)',
      ),
      updateProject: db.prepare('UPDATE projects SET name = @name, description = @description, enabled = @enabled, extra = @extra WHERE id = @id'),
      deleteProject: db.prepare('DELETE FROM projects WHERE id = ?'),
      userById: db.prepare('SELECT * FROM users WHERE id = ?'),
      userByName: db.prepare('SELECT * FROM users WHERE domain_id = ? AND name = ?'),
      users: db.prepare('SELECT * FROM users ORDER BY name, id'),
      insertUser: db.prepare(
        `INSERT INTO users (id, domain_id, name, password_hash, enabled, default_project_id, email, created_at, extra)
         VALUES (@id, @domain_id, @name, @password_hash, @enabled, @default_project_id, @email, @created_at, @extra)`,
      ),
      updateUser: db.prepare(
        `UPDATE users SET name = @name, password_hash = @password_hash, enabled = @enabled, default_project_id = @default_project_id,
         email = @email, extra = @extra WHERE id = @id`,
      ),
      deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
      roleById: db.prepare('SELECT * FROM roles WHERE id = ?'),
      roleByName: db.prepare('SELECT * FROM roles WHERE name = ?'),
      roles: db.prepare('SELECT * FROM roles ORDER BY name'),
      insertRole: db.prepare('INSERT INTO roles (id, name, description, extra) VALUES (?, ?, ?, ?)'),
      deleteRole: db.prepare('DELETE FROM roles WHERE id = ?'),
      rolesOn: db.prepare('SELECT r.* FROM roles r JOIN role_assignments a ON a.role_id = r.id WHERE a.user_id = ? AND a.project_id = ? ORDER BY r.name'),
      assignments: db.prepare('SELECT user_id, project_id, role_id FROM role_assignments ORDER BY project_id, user_id, role_id'),
      hasAssignment: db.prepare('SELECT 1 FROM role_assignments WHERE user_id = ? AND project_id = ? AND role_id = ?'),
      assign: db.prepare('INSERT OR IGNORE INTO role_assignments (user_id, project_id, role_id) VALUES (?, ?, ?)'),
      unassign: db.prepare('DELETE FROM role_assignments WHERE user_id = ? AND project_id = ? AND role_id = ?'),
    };
  }

  domain(id: string): Domain | null {
    const r = this.s.domainById.get(id) as DomainRow | undefined;
    return r ? toDomain(r) : null;
  }
  domainByName(name: string): Domain | null {
    const r = this.s.domainByName.get(name) as DomainRow | undefined;
    return r ? toDomain(r) : null;
  }
  domains(): Domain[] {
    return (this.s.domains.all() as DomainRow[]).map(toDomain);
  }
  insertDomain(id: string, name: string, description: string): void {
    this.s.insertDomain.run(id, name, description);
  }

  project(id: string): Project | null {
    const r = this.s.projectById.get(id) as ProjectRow | undefined;
    return r ? toProject(r) : null;
  }
  projectByName(domainId: string, name: string): Project | null {
    const r = this.s.projectByName.get(domainId, name) as ProjectRow | undefined;
    return r ? toProject(r) : null;
  }
  projects(): Project[] {
    return (this.s.projects.all() as ProjectRow[]).map(toProject);
  }
  projectsForUser(userId: string): Project[] {
    return (this.s.projectsForUser.all(userId) as ProjectRow[]).map(toProject);
  }
  saveProject(p: Project, insert: boolean): void {
    const row = {
      id: p.id,
      domain_id: p.domainId,
      name: p.name,
      description: p.description,
      enabled: p.enabled ? 1 : 0,
      created_at: p.createdAt,
      extra: JSON.stringify({ ...p.extra, tags: p.tags }),
    };
    if (insert) this.s.insertProject.run(row);
    else this.s.updateProject.run(row);
  }
  deleteProject(id: string): void {
    this.s.deleteProject.run(id);
  }

  userRow(id: string): UserRow | null {
    return (this.s.userById.get(id) as UserRow | undefined) ?? null;
  }
  userRowByName(domainId: string, name: string): UserRow | null {
    return (this.s.userByName.get(domainId, name) as UserRow | undefined) ?? null;
  }
  users(): User[] {
    return (this.s.users.all() as UserRow[]).map(toUser);
  }
  saveUser(u: User, passwordHash: string | null, insert: boolean): void {
    const row = {
      id: u.id,
      domain_id: u.domainId,
      name: u.name,
      password_hash: passwordHash,
      enabled: u.enabled ? 1 : 0,
      default_project_id: u.defaultProjectId,
      email: u.email,
      created_at: u.createdAt,
      extra: JSON.stringify(u.extra),
    };
    if (insert) this.s.insertUser.run(row);
    else this.s.updateUser.run(row);
  }
  deleteUser(id: string): void {
    this.s.deleteUser.run(id);
  }

  role(id: string): Role | null {
    const r = this.s.roleById.get(id) as RoleRow | undefined;
    return r ? toRole(r) : null;
  }
  roleByName(name: string): Role | null {
    const r = this.s.roleByName.get(name) as RoleRow | undefined;
    return r ? toRole(r) : null;
  }
  roles(): Role[] {
    return (this.s.roles.all() as RoleRow[]).map(toRole);
  }
  insertRole(r: Role): void {
    this.s.insertRole.run(r.id, r.name, r.description, JSON.stringify(r.extra));
  }
  deleteRole(id: string): void {
    this.s.deleteRole.run(id);
  }

  /** Roles assigned directly to the user on the project (no implied roles). */
  rolesOn(userId: string, projectId: string): Role[] {
    return (this.s.rolesOn.all(userId, projectId) as RoleRow[]).map(toRole);
  }
  assignments(): RoleAssignment[] {
    return (this.s.assignments.all() as Array<{ user_id: string; project_id: string; role_id: string }>).map((a) => ({
      userId: a.user_id,
      projectId: a.project_id,
      roleId: a.role_id,
    }));
  }
  hasAssignment(userId: string, projectId: string, roleId: string): boolean {
    return this.s.hasAssignment.get(userId, projectId, roleId) !== undefined;
  }
  assign(userId: string, projectId: string, roleId: string): void {
    this.s.assign.run(userId, projectId, roleId);
  }
  unassign(userId: string, projectId: string, roleId: string): void {
    this.s.unassign.run(userId, projectId, roleId);
  }
}
