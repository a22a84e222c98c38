import type { ControlPlane } from '../../../control-plane';
import { conflict, DeskError } from '../../../core/errors';
import { seedDemo } from '../../../demo/seed-demo';
import type { Handler } from '../dispatch';
import { login } from './auth';

// Set once the first-run wizard chose a password; a rack seeded at start (`serve --demo`) also counts.
const SETUP_KEY = 'ui.setup_completed_at';

function setupDone(cp: ControlPlane): boolean {
  const row = cp.db.prepare('SELECT value FROM settings WHERE key = ?').get(SETUP_KEY);
  return row !== undefined || cp.hosts.list().length > 0;
}

export const setupStatus: Handler<'setupStatus'> = ({ cp }) => ({ done: setupDone(cp), hostCount: cp.hosts.list().length });

/**
 * First run: sets the admin password, optionally seeds the demo rack, and signs the admin in.
 * Refused once setup is done, so nobody can take over a configured control plane through it.
 */
export const setupStart: Handler<'setupStart'> = async ({ cp }, input) => {
  if (setupDone(cp)) throw conflict('Setup is already complete; sign in instead.');
  // Claim first: of two concurrent wizards only one wins.
  const claimed = cp.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(SETUP_KEY, new Date().toISOString());
  if (claimed.changes !== 1) throw conflict('Setup is already complete; sign in instead.');
  const admin = cp.identity.loginLocalAdmin();
  try {
    await cp.identity.updateUser(admin, admin.userId, { password: input.adminPassword });
  } catch (err) {
    cp.db.prepare('DELETE FROM settings WHERE key = ?').run(SETUP_KEY);
    throw err;
  }
  if (input.mode === 'demo') {
    try {
      await seedDemo({ identity: cp.identity, hosts: cp.hosts, compute: cp.compute, images: cp.images, networks: cp.networks, config: cp.config });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new DeskError('Internal', `The admin password is set, but seeding the demo rack failed: ${msg}. Sign in and add hosts from the Hosts page.`);
    }
  }
  return login(cp, admin.userName, input.adminPassword, admin.projectName);
};
