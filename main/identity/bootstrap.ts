import type { Db } from '../core/db';
import { newHexId } from '../core/ids';
import { getSetting as readSetting, setSetting as writeSetting } from '../core/settings';
import type { AssignmentStore } from './assignment-store';
import type { IdentityStore } from './identity-store';
import { toUser } from './identity-store';
import { generatePassword, hashPassword, verifyPassword } from './password-hash';
import { BUILTIN_ROLES } from './role-manager';

export const ADMIN_USER_KEY = 'identity.admin_user_id';
export const ADMIN_PROJECT_KEY = 'identity.admin_project_id';

// keystone-manage bootstrap's default role hierarchy: admin implies member, member implies reader.
const DEFAULT_RULES: Array<[string, string]> = [
  ['admin', 'member'],
  ['member', 'reader'],
];

/**
 * Like `keystone-manage bootstrap`: Default domain, the admin/member/reader roles and their hierarchy,
 * project and user "admin" with the admin role. Safe to run on every start; a given password replaces a
 * different one. Hashing happens first, off the event loop; the rows are then written in one transaction.
 */
export async function bootstrapIdentity(
  db: Db,
  store: IdentityStore,
  assignments: AssignmentStore,
  adminPassword: string | undefined,
  now: string,
): Promise<{ generatedPassword: string | null }> {
  const existing = readSetting(db, ADMIN_USER_KEY);
  const row = existing ? store.userRow(existing) : store.userRowByName('default', 'admin');
  let generatedPassword: string | null = null;
  let newHash: string | null = null;
  if (!row) newHash = await hashPassword(adminPassword ?? (generatedPassword = generatePassword()));
  else if (adminPassword !== undefined && !(await verifyPassword(adminPassword, row.password_hash))) newHash = await hashPassword(adminPassword);

  db.transaction(() => {
    if (!store.domain('default')) store.saveDomain({ id: 'default', name: 'Default', description: 'The default domain', enabled: true, tags: [], extra: {} }, true);
    const made = new Set<string>();
    for (const name of BUILTIN_ROLES) {
      if (store.roleByName(name)) continue;
      store.saveRole({ id: newHexId(), name, domainId: null, description: null, extra: {} }, true);
      made.add(name);
    }
    // Only with roles made now: a rule an admin removed later stays removed across restarts.
    for (const [prior, implied] of DEFAULT_RULES) if (made.has(prior) || made.has(implied)) assignments.addRule(store.roleByName(prior)!.id, store.roleByName(implied)!.id);
    let projectId = readSetting(db, ADMIN_PROJECT_KEY);
    if (!projectId || !store.project(projectId)) {
      const found = store.projectByName('default', 'admin');
      projectId = found?.id ?? newHexId();
      if (!found)
        store.saveProject(
          { id: projectId, name: 'admin', domainId: 'default', parentId: null, description: 'Bootstrap project for initializing the cloud.', enabled: true, tags: [], extra: {}, createdAt: now },
          true,
        );
      writeSetting(db, ADMIN_PROJECT_KEY, projectId);
    }
    let userId: string;
    const current = row ? store.userRow(row.id) : null;
    if (!current) {
      userId = newHexId();
      store.saveUser({ id: userId, name: 'admin', domainId: 'default', enabled: true, defaultProjectId: projectId, email: null, extra: {}, createdAt: now }, newHash, true);
    } else {
      userId = current.id;
      if (newHash !== null) store.saveUser({ ...toUser(current), enabled: true }, newHash, false);
    }
    writeSetting(db, ADMIN_USER_KEY, userId);
    assignments.insert({ userId, projectId, roleId: store.roleByName('admin')!.id });
  })();
  return { generatedPassword };
}
