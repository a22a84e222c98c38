import type { Db } from '../core/db';
import type { Domain, Project, Role, User } from './types';

interface ProjectRow {
  id: string;
  domain_id: string;
  parent_id: string | null;
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
  domain_id: string | null;
  description: string | null;
  extra: string;
}

interface DomainRow {
  id: string;
  name: string;
  description: string;
  enabled: number;
  extra: string;
}

export const parseExtra = (s: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const tagsOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

const toDomain = (r: DomainRow): Domain => {
  const { tags, ...extra } = parseExtra(r.extra);
  return { id: r.id, name: r.name, description: r.description, enabled: r.enabled === 1, tags: tagsOf(tags), extra };
};

const toProject = (r: ProjectRow): Project => {
  const { tags, ...extra } = parseExtra(r.extra);
  return {
    id: r.id,
    name: r.name,
    domainId: r.domain_id,
    parentId: r.parent_id,
    description: r.description,
    enabled: r.enabled === 1,
    tags: tagsOf(tags),
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

const toRole = (r: RoleRow): Role => ({ id: r.id, name: r.name, domainId: r.domain_id, description: r.description, extra: parseExtra(r.extra) });

/** Row access for the identity tables; every statement is prepared once. */
export class IdentityStore {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = {
      domainById: db.prepare('SELECT * FROM domains WHERE id = ?'),
      domainByName: db.prepare('SELECT * FROM domains WHERE name = ?'),
      domains: db.prepare('SELECT * FROM domains ORDER BY name'),
      insertDomain: db.prepare('INSERT INTO domains (id, name, description, enabled, extra) VALUES (@id, @name, @description, @enabled, @extra)'),
      updateDomain: db.prepare('UPDATE domains SET name = @name, description = @description, enabled = @enabled, extra = @extra WHERE id = @id'),
      deleteDomain: db.prepare('DELETE FROM domains WHERE id = ?'),
      projectsInDomain: db.prepare('SELECT * FROM projects WHERE domain_id = ? ORDER BY name, id'),
      children: db.prepare('SELECT * FROM projects WHERE parent_id = ? ORDER BY name, id'),
      projectById: db.prepare('SELECT * FROM projects WHERE id = ?'),
      projectByName: db.prepare('SELECT * FROM projects WHERE domain_id = ? AND name = ?'),
      projects: db.prepare('SELECT * FROM projects ORDER BY name, id'),
      insertProject: db.prepare(
        `INSERT INTO projects (id, domain_id, parent_id, name, description, enabled, created_at, extra)
         VALUES (@id, @domain_id, @parent_id, @name, @description, @enabled, @created_at, @extra)`,
      ),
      updateProject: db.prepare('UPDATE projects SET name = @name, description = @description, enabled = @enabled, extra = @extra WHERE id = @id'),
      deleteProject: db.prepare('DELETE FROM projects WHERE id = ?'),
      userById: db.prepare('SELECT * FROM users WHERE id = ?'),
      userByName: db.prepare('SELECT * FROM users WHERE domain_id = ? AND name = ?'),
      users: db.prepare('SELECT * FROM users ORDER BY name, id'),
      usersInDomain: db.prepare('SELECT id FROM users WHERE domain_id = ?'),
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
      roleByName: db.prepare('SELECT * FROM roles WHERE name = ? AND ifnull(domain_id, \'\') = ?'),
      roles: db.prepare('SELECT * FROM roles ORDER BY name'),
      insertRole: db.prepare('INSERT INTO roles (id, name, domain_id, description, extra) VALUES (@id, @name, @domain_id, @description, @extra)'),
      updateRole: db.prepare('UPDATE roles SET name = @name, description = @description, extra = @extra WHERE id = @id'),
      deleteRole: db.prepare('DELETE FROM roles WHERE id = ?'),
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
  saveDomain(d: Domain, insert: boolean): void {
    const row = { id: d.id, name: d.name, description: d.description, enabled: d.enabled ? 1 : 0, extra: JSON.stringify({ ...d.extra, tags: d.tags }) };
    if (insert) this.s.insertDomain.run(row);
    else this.s.updateDomain.run(row);
  }
  deleteDomain(id: string): void {
    this.s.deleteDomain.run(id);
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
  projectsInDomain(domainId: string): Project[] {
    return (this.s.projectsInDomain.all(domainId) as ProjectRow[]).map(toProject);
  }
  children(projectId: string): Project[] {
    return (this.s.children.all(projectId) as ProjectRow[]).map(toProject);
  }
  saveProject(p: Project, insert: boolean): void {
    const row = {
      id: p.id,
      domain_id: p.domainId,
      parent_id: p.parentId,
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
  userIdsInDomain(domainId: string): string[] {
    return (this.s.usersInDomain.all(domainId) as Array<{ id: string }>).map((r) => r.id);
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
  /** A global role by name, or with domainId the domain's own role of that name. */
  roleByName(name: string, domainId: string | null = null): Role | null {
    const r = this.s.roleByName.get(name, domainId ?? '') as RoleRow | undefined;
    return r ? toRole(r) : null;
  }
  roles(): Role[] {
    return (this.s.roles.all() as RoleRow[]).map(toRole);
  }
  saveRole(r: Role, insert: boolean): void {
    const row = { id: r.id, name: r.name, domain_id: r.domainId, description: r.description, extra: JSON.stringify(r.extra) };
    if (insert) this.s.insertRole.run(row);
    else this.s.updateRole.run(row);
  }
  deleteRole(id: string): void {
    this.s.deleteRole.run(id);
  }
}
