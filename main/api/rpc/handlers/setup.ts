import type { ControlPlane } from '../../../control-plane';
import { conflict, DeskError, unauthorized } from '../../../core/errors';
import { deleteSetting, getSetting, setSettingIfAbsent } from '../../../core/settings';
import { seedDemo } from '../../../demo/seed-demo';
import type { Handler } from '../dispatch';
import { login, sessionView } from './auth';

// Set once the first-run wizard chose a password; a rack seeded at start (`serve --demo`) also counts.
const SETUP_KEY = 'ui.setup_completed_at';

export const SETUP_PASSWORD_REQUIRED = 'Enter the admin password that `deskstack serve` printed when it first started (or DESKSTACK_ADMIN_PASSWORD, if you set it).';

function setupDone(cp: ControlPlane): boolean {
  return getSetting(cp.db, SETUP_KEY) !== null || cp.hosts.list().length > 0;
}

export const setupStatus: Handler<'setupStatus'> = ({ cp, maybeCtx }) => ({
  done: setupDone(cp),
  hostCount: cp.hosts.list().length,
  session: maybeCtx ? sessionView(maybeCtx) : null,
});

async function provesServeOwner(cp: ControlPlane, currentPassword: string | undefined): Promise<boolean> {
  return currentPassword !== undefined && (await cp.identity.adminPasswordMatches(currentPassword));
}

/** Step 1 of the wizard in a browser: a wrong printed password is refused before anything else is asked. */
export const setupVerify: Handler<'setupVerify'> = async ({ cp }, input) => {
  if (setupDone(cp)) throw conflict('Setup is already complete; sign in instead.');
  if (!(await provesServeOwner(cp, input.currentPassword))) throw unauthorized(SETUP_PASSWORD_REQUIRED);
  return { ok: true };
};

/**
 * First run: sets the admin password, optionally seeds the demo rack, and signs the admin in.
 * Refused once setup is done, so nobody can take over a configured control plane through it; before
 * that, a caller without an admin session (anyone reaching serve's port) must prove they know the
 * current admin password, which only the person who started serve saw.
 */
export const setupStart: Handler<'setupStart'> = async ({ cp, maybeCtx }, input) => {
  if (setupDone(cp)) throw conflict('Setup is already complete; sign in instead.');
  if (!maybeCtx?.isAdmin) {
    if (!(await provesServeOwner(cp, input.currentPassword))) throw unauthorized(SETUP_PASSWORD_REQUIRED);
  }
  // Claim first: of two concurrent wizards only one wins.
  if (!setSettingIfAbsent(cp.db, SETUP_KEY, new Date().toISOString())) throw conflict('Setup is already complete; sign in instead.');
  const admin = cp.identity.loginLocalAdmin();
  try {
    await cp.identity.updateUser(admin, admin.userId, { password: input.adminPassword });
  } catch (err) {
    deleteSetting(cp.db, SETUP_KEY);
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
