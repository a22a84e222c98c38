import type { ControlPlane } from '../../../control-plane';
import type { RequestContext } from '../../../core/context';
import { DeskError, unauthorized } from '../../../core/errors';
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

/** Signs a user in with Keystone's password method; without a project, picks one they have a role on. */
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
      const pick = projects.find((p) => p.name === 'admin') ?? projects[0];
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
