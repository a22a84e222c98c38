import { z } from 'zod';
import { DeskError } from '../../../core/errors';
import type { AuthRequest, AuthScope } from '../../../identity/types';
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
      application_credential: z.object({ id: str.optional(), name: str.optional(), user: entityRef.optional(), secret: z.string().max(4096) }).optional(),
    }),
    scope: z
      .union([
        z.literal('unscoped'),
        z.object({
          project: entityRef.optional(),
          domain: domainRef.optional(),
          system: z.object({ all: z.boolean() }).optional(),
          'OS-TRUST:trust': z.object({ id: str }).optional(),
        }),
      ])
      .optional(),
  }),
});

export function parseAuthBody(body: unknown): AuthRequest {
  const { auth } = parseInput(authBody, body);
  const id = auth.identity;
  return { methods: id.methods, password: id.password, token: id.token, applicationCredential: id.application_credential, scope: scopeOf(auth.scope) };
}

function scopeOf(scope: z.infer<typeof authBody>['auth']['scope']): AuthScope | undefined {
  if (scope === undefined || scope === 'unscoped') return scope;
  const asked = [scope.project, scope.domain, scope.system, scope['OS-TRUST:trust']].filter((s) => s !== undefined);
  if (asked.length !== 1) throw new DeskError('BadRequest', "Invalid input for field 'auth.scope': name exactly one of project, domain, system or OS-TRUST:trust.");
  if (scope.project) return { project: scope.project };
  if (scope.domain) {
    if (scope.domain.id === undefined && scope.domain.name === undefined) throw new DeskError('BadRequest', "Invalid input for field 'auth.scope.domain': give an id or a name.");
    return { domain: scope.domain };
  }
  if (scope.system) {
    if (!scope.system.all) throw new DeskError('BadRequest', "Invalid input for field 'auth.scope.system': only {\"all\": true} is a system scope.");
    return { system: true };
  }
  return { trust: scope['OS-TRUST:trust']!.id };
}
