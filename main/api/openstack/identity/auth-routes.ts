import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { DeskError, unauthorized } from '../../../core/errors';
import type { TokenData } from '../../../identity/types';
import { parseAuthBody } from './auth-schema';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { collection, domainView, projectView, tokenView } from './views';

const wantsCatalog = (req: FastifyRequest): boolean => !Object.prototype.hasOwnProperty.call(req.query ?? {}, 'nocatalog');
const isScoped = (t: TokenData): boolean => t.project !== null || t.domain !== null || t.system;

function subjectToken(req: FastifyRequest): string {
  const t = req.headers['x-subject-token'];
  if (typeof t !== 'string' || t.length === 0) throw new DeskError('BadRequest', 'Expecting to find the X-Subject-Token header naming the token to check.');
  return t;
}

/** Looks the subject token up; Keystone answers 404 for a token that is unknown, expired or revoked. */
function subjectData(cp: ControlPlane, req: FastifyRequest, caller: { userId: string; isAdmin: boolean }): TokenData {
  let data: TokenData;
  try {
    data = cp.identity.validateToken(subjectToken(req), { allowUnscoped: true, request: 'inspect' }).data;
  } catch (e) {
    if (e instanceof DeskError && e.code === 'Unauthorized') throw new DeskError('NotFound', 'Could not find token: the subject token is invalid, expired or revoked.');
    throw e;
  }
  // Keystone's policy: an admin may check any token, a user only their own.
  if (!caller.isAdmin && caller.userId !== data.user.id) throw new DeskError('Forbidden', 'You are not authorized to perform the requested action: identity:validate_token.');
  return data;
}

export function registerAuthRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.post('/v3/auth/tokens', async (req, reply) => {
    const { token, data } = await cp.identity.issueToken(parseAuthBody(req.body));
    const catalog = wantsCatalog(req) && isScoped(data) ? cp.identity.catalog(baseUrl(req, cp), data.project?.id ?? null) : null;
    return reply.code(201).header('X-Subject-Token', token).send(tokenView(data, catalog));
  });

  const check = async (req: FastifyRequest, reply: FastifyReply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const data = subjectData(cp, req, ctx);
    reply.header('X-Subject-Token', subjectToken(req));
    if (req.method === 'HEAD') return reply.code(200).send();
    return reply.code(200).send(tokenView(data, wantsCatalog(req) && isScoped(data) ? cp.identity.catalog(baseUrl(req, cp), data.project?.id ?? null) : null));
  };
  app.get('/v3/auth/tokens', { exposeHeadRoute: false }, check);
  app.head('/v3/auth/tokens', check);

  app.delete('/v3/auth/tokens', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    subjectData(cp, req, ctx);
    cp.identity.revokeToken(subjectToken(req));
    return reply.code(204).send();
  });

  app.get('/v3/auth/catalog', async (req) => {
    const { data } = keystoneAuth(cp, req, { allowUnscoped: true });
    if (!isScoped(data)) throw new DeskError('Forbidden', 'A catalog cannot be returned for an unscoped token; scope the token to a project.');
    return { catalog: cp.identity.catalog(baseUrl(req, cp), data.project?.id ?? null), links: { self: selfUrl(req, cp), previous: null, next: null } };
  });

  app.get('/v3/auth/projects', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    if (!ctx.userId) throw unauthorized();
    const base = baseUrl(req, cp);
    return collection('projects', cp.identity.listProjectsForUser(ctx.userId).map((p) => projectView(p, base)), selfUrl(req, cp));
  });

  app.get('/v3/auth/domains', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const base = baseUrl(req, cp);
    return collection('domains', cp.identity.listDomainsForUser(ctx.userId).map((d) => domainView(d, base)), selfUrl(req, cp));
  });

  app.get('/v3/auth/system', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const system = cp.identity.grants.list(ctx, { userId: ctx.userId, system: true, effective: true }).length > 0 ? [{ all: true }] : [];
    return { system, links: { self: selfUrl(req, cp), previous: null, next: null } };
  });
}
