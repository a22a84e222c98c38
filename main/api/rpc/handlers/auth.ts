import type { ControlPlane } from '../../../control-plane';
import type { RequestContext } from '../../../core/context';
import { DeskError, forbidden, unauthorized } from '../../../core/errors';
import type { LoginResult, SessionView } from '../../contract/views';
import type { Handler } from '../dispatch';

export const sessionView = (ctx: RequestContext): SessionView => ({
  userId: ctx.userId,
  userName: ctx.userName,
  projectId: ctx.projectId,
  projectName: ctx.projectName,
  roles: [...ctx.roles],
  isAdmin: ctx.isAdmin,
});

const LOGIN_FAILED = 'Sign-in failed: check the user name, password and project.';

/** Signs a user in with Keystone's password method; without a project, picks one they have a role on (their default first). */
export async function login(cp: ControlPlane, username: string, password: string, project?: string): Promise<LoginResult> {
  const user = { name: username, domain: { id: 'default' }, password };
  let projectName = project;
  try {
    if (!projectName) {
      const unscoped = await cp.identity.issueToken({ methods: ['password'], password: { user }, scope: 'unscoped' });
      const projects = cp.identity.listProjectsForUser(unscoped.data.user.id).filter((p) => p.enabled);
      try {
        cp.identity.revokeToken(unscoped.token);
      } catch {
        /* already gone */
      }
      // The user's default project first (as Keystone scopes to it), then admin, then the first by name.
      const home = cp.identity.findUser(unscoped.data.user.id)?.defaultProjectId;
      const pick = projects.find((p) => p.id === home) ?? projects.find((p) => p.name === 'admin') ?? projects[0];
      if (!pick) throw new DeskError('Forbidden', `User ${username} has no role on any project; ask an admin to add one.`);
      projectName = pick.name;
    }
    const issued = await cp.identity.issueToken({
      methods: ['password'],
      password: { user },
      scope: { project: { name: projectName, domain: { id: 'default' } } },
    });
    const ctx = cp.identity.validateToken(issued.token).context;
    return { token: issued.token, expiresAt: issued.data.expiresAt, session: sessionView(ctx) };
  } catch (err) {
    if (err instanceof DeskError && err.code === 'Forbidden') throw err;
    // One message for every refusal, so a caller cannot probe which user names exist.
    if (err instanceof DeskError && (err.code === 'Unauthorized' || err.code === 'NotFound')) throw unauthorized(LOGIN_FAILED);
    throw err;
  }
}

export const authLogin: Handler<'authLogin'> = (call, input) => login(call.cp, input.username, input.password, input.project);

export const authLogout: Handler<'authLogout'> = (call) => {
  void call.ctx;
  if (call.token) {
    try {
      call.cp.identity.revokeToken(call.token);
    } catch {
      /* expired or revoked already: the caller is signed out either way */
    }
  }
  return { ok: true };
};

export const session: Handler<'session'> = (call) => sessionView(call.ctx);

export const projectListMine: Handler<'projectListMine'> = ({ cp, ctx }) => cp.identity.listProjectsForUser(ctx.userId).map((p) => ({ id: p.id, name: p.name }));

/**
 * Switches the session to another of the user's projects. Over HTTP the token is rescoped (Keystone's
 * token method; the new one keeps the old expiry) and the old one revoked; in the app the window's session changes.
 */
export const authRescope: Handler<'authRescope'> = async (call, input) => {
  const { cp, ctx } = call;
  const target = cp.identity.listProjectsForUser(ctx.userId).find((p) => p.id === input.projectId);
  if (!target) throw forbidden(`${ctx.userName} holds no role on project ${input.projectId}, or it is disabled; ask an admin to add you to it.`);
  if (call.token) {
    const issued = await cp.identity.issueToken({ methods: ['token'], token: { id: call.token }, scope: { project: { id: target.id } } });
    try {
      cp.identity.revokeToken(call.token);
    } catch {
      /* already gone: nothing to revoke */
    }
    return { token: issued.token, expiresAt: issued.data.expiresAt, session: sessionView(cp.identity.validateToken(issued.token).context) };
  }
  if (!call.rescope) throw new DeskError('Unavailable', 'This connection cannot switch projects; sign in again and choose the project.');
  const next = cp.identity.contextFor(ctx.userId, target.id);
  call.rescope(next);
  return { token: '', expiresAt: '', session: sessionView(next) };
};
