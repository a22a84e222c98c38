// The signed-in user's application credentials: what scripts, Terraform and Ansible authenticate with.
import type { ControlPlane } from '../../../control-plane';
import { delegatorOf, type Delegator } from '../../../identity/app-credential-manager';
import { REGION } from '../../../identity/catalog';
import type { AppCredential } from '../../../identity/delegation-types';
import type { AppCredentialView, Ok } from '../../contract/views';
import type { Call, Handler } from '../dispatch';

function credView(cp: ControlPlane, c: AppCredential): AppCredentialView {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    projectId: c.projectId,
    projectName: cp.identity.projectName(c.projectId),
    roles: c.roleIds.map((id) => cp.identity.findRole(id)?.name ?? id),
    expiresAt: c.expiresAt,
    unrestricted: c.unrestricted,
    createdAt: c.createdAt,
  };
}

// Over HTTP the token tells how the session was made (a restricted application credential or a trust
// may not delegate further); the app window acts for its signed-in user with the roles it holds.
function delegator({ cp, ctx, token }: Call): Delegator {
  return token ? delegatorOf(cp.identity.validateToken(token).data) : cp.identity.delegatorFor(ctx);
}

/** Keystone's URL for clients, or null while serve has not bound a port (the desktop app serves no REST API). */
function identityUrl(publicUrl: string): string | null {
  try {
    const u = new URL(publicUrl);
    return u.port === '0' ? null : `${publicUrl.replace(/\/+$/, '')}/identity/v3`;
  } catch {
    return null;
  }
}

export const appCredentialList: Handler<'appCredentialList'> = ({ cp, ctx }) => cp.identity.appCredentials.list(ctx, ctx.userId).map((c) => credView(cp, c));

export const appCredentialCreate: Handler<'appCredentialCreate'> = async (call, input) => {
  const { cp, ctx } = call;
  const { cred, secret } = await cp.identity.appCredentials.create(ctx, delegator(call), ctx.userId, {
    name: input.name,
    description: input.description ?? null,
    expiresAt: input.expiresAt ?? null,
    roles: input.roles.map((name) => ({ name })),
    unrestricted: input.unrestricted,
  });
  return { credential: credView(cp, cred), secret, authUrl: identityUrl(cp.publicUrl), regionName: REGION };
};

export const appCredentialDelete: Handler<'appCredentialDelete'> = (call, input): Ok => {
  call.cp.identity.appCredentials.delete(call.ctx, delegator(call), call.ctx.userId, input.id);
  return { ok: true };
};
