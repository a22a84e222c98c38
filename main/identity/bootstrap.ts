import type { Db } from '../core/db';
import { newHexId } from '../core/ids';
import { getSetting as readSetting, setSetting as writeSetting } from '../core/settings';
import type { IdentityStore } from './identity-store';
import { toUser } from './identity-store';
import { generatePassword, hashPassword, verifyPasswordSync } from './password-hash';
import { BUILTIN_ROLES } from './role-manager';

export const ADMIN_USER_KEY = 'identity.admin_user_id';
export const ADMIN_PROJECT_KEY = 'identity.admin_project_id';


/**
 * Like `keystone-manage bootstrap`: Default domain, the admin/member/reader roles, project and user
 * "admin" with the admin role. Safe to run on every start; a given password replaces a different one.
 */
export function bootstrapIdentity(db: Db, store: IdentityStore, adminPassword: string | undefined, now: string): { generatedPassword: string | null } {
  return db.transaction(() => {
    if (!store.domain('default')) store.insertDomain('default', 'Default', 'The default domain');
    for (const name of BUILTIN_ROLES) {
      if (!store.roleByName(name)) store.insertRole({ id: newHexId(), name, description: null, extra: {} });
    }
    let projectId = readSetting(db, ADMIN_PROJECT_KEY);
    if (!projectId || !store.project(projectId)) {
      const existing = store.projectByName('default', 'admin');
      projectId = existing?.id ?? newHexId();
      if (!existing)
        store.saveProject({ id: projectId, name: 'admin', domainId: 'default', description: 'Bootstrap project for initializing the cloud.', enabled: true, tags: [], extra: {}, createdAt: now }, true);
      writeSetting(db, ADMIN_PROJECT_KEY, projectId);
    }
    let generatedPassword: string | null = null;
    let userId = readSetting(db, ADMIN_USER_KEY);
    const row = userId ? store.userRow(userId) : store.userRowByName('default', 'admin');
    if (!row) {
      const password = adminPassword ?? (generatedPassword = generatePassword());
      userId = newHexId();
      store.saveUser(
        { id: userId, name: 'admin', domainId: 'default', enabled: true, defaultProjectId: projectId, email: null, extra: {}, createdAt: now },
        hashPassword(password),
        true,
      );
    } else {
      userId = row.id;
      if (adminPassword !== undefined && !verifyPasswordSync(adminPassword, row.password_hash)) store.saveUser({ ...toUser(row), enabled: true }, hashPassword(adminPassword), false);
    }
    writeSetting(db, ADMIN_USER_KEY, userId);
    store.assign(userId, projectId, store.roleByName('admin')!.id);
    return { generatedPassword };
  })();
}
