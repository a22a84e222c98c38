import { z } from 'zod';
import { DeskError } from '../../../core/errors';
import type { AuthRequest } from '../../../identity/types';
import { parseInput } from './parse-body';

const str = z.string().min(1).max(1024);
const domainRef = z.object({ id: str.optional(), name: str.optional() });
const entityRef = z.object({ id: str.optional(), name: str.optional(), domain: domainRef.optional() });

/** POST /v3/auth/tokens body, as Keystone's auth schema describes it. */
export const authBody = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string().max(64)).min(1).max(8),
      password: z.object({ user: entityRef.extend({ password: z.string().max(4096) }) }).optional(),
      token: z.object({ id: str }).optional(),
    }),
    scope: z
      .union([
        z.literal('unscoped'),
        z.object({ project: entityRef.optional(), domain: z.unknown().optional(), system: z.unknown().optional(), 'OS-TRUST:trust': z.unknown().optional() }),
      ])
      .optional(),
  }),
});

export function parseAuthBody(body: unknown): AuthRequest {
  const { auth } = parseInput(authBody, body);
  const scope = auth.scope;
  let outScope: AuthRequest['scope'];
  if (scope === 'unscoped') outScope = 'unscoped';
  else if (scope) {
    if (scope.domain !== undefined || scope.system !== undefined || scope['OS-TRUST:trust'] !== undefined)
      throw new DeskError('BadRequest', 'DeskStack issues project-scoped or unscoped tokens only; scope the request to a project.');
    if (!scope.project) throw new DeskError('BadRequest', "Invalid input for field 'auth.scope': expected a project scope.");
    outScope = { project: scope.project };
  }
  return { methods: auth.identity.methods, password: auth.identity.password, token: auth.identity.token, scope: outScope };
}
