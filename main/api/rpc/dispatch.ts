import type { z } from 'zod';
import type { ControlPlane } from '../../control-plane';
import type { RequestContext } from '../../core/context';
import { DeskError, badRequest, forbidden, toEnvelope, unauthorized, type ErrorEnvelope } from '../../core/errors';
import { access, inputs, type MethodName, type ParsedInputOf, type ResultOf } from '../contract/methods';
import { handlers } from './handlers/index';

/** What a handler receives besides its input. */
export interface Call {
  cp: ControlPlane;
  /** The signed-in caller; reading it in a public method without a session throws Unauthorized. */
  readonly ctx: RequestContext;
  /** The caller, or null (public methods only). */
  readonly maybeCtx: RequestContext | null;
  /** The Keystone token the caller used over HTTP (null over IPC); authLogout revokes it. */
  readonly token: string | null;
  /** Over IPC: replaces the window's session (authRescope); absent over HTTP, where a new token does it. */
  readonly rescope?: (ctx: RequestContext) => void;
}

/** What the transport lends a call besides the session. */
export interface DispatchOptions {
  token?: string | null;
  rescope?: (ctx: RequestContext) => void;
}

export type Handler<M extends MethodName> = (call: Call, input: ParsedInputOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

export const isMethodName = (m: string): m is MethodName => Object.prototype.hasOwnProperty.call(inputs, m);

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/**
 * The one entry point of the UI contract, shared by the HTTP bridge and the Electron IPC host:
 * checks the method exists, the caller may call it, and the input matches its schema, then runs it.
 * Throws DeskError (BadRequest, Unauthorized, Forbidden, ...) — callers turn it into an envelope.
 */
export async function dispatch(
  cp: ControlPlane,
  session: RequestContext | null,
  method: string,
  input: unknown,
  opts: DispatchOptions = {},
): Promise<unknown> {
  if (typeof method !== 'string' || !isMethodName(method)) {
    throw badRequest(`Unknown method '${String(method).slice(0, 80)}': check the contract in main/api/contract/methods.ts.`, { method: String(method).slice(0, 80) });
  }
  const level = access[method];
  if (level !== 'public' && !session) throw unauthorized('Sign in first: this method needs a session.');
  if (level === 'admin' && !session?.isAdmin) throw forbidden(`Only an admin may call ${method}; sign in to the admin project.`);
  const parsed = inputs[method].safeParse(input ?? {});
  if (!parsed.success) {
    throw badRequest(`Invalid input for ${method}: ${describeIssues(parsed.error.issues)}.`, {
      issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  const call: Call = {
    cp,
    get ctx() {
      if (!session) throw unauthorized('Sign in first: this method needs a session.');
      return session;
    },
    maybeCtx: session,
    token: opts.token ?? null,
    ...(opts.rescope ? { rescope: opts.rescope } : {}),
  };
  const handler = handlers[method] as (call: Call, input: unknown) => unknown;
  return await handler(call, parsed.data);
}

export type RpcReply = { ok: true; result: unknown } | { ok: false; error: ErrorEnvelope };

/** dispatch() that never throws: the reply form for IPC, where Electron keeps only an error's message. */
export async function dispatchToReply(
  cp: ControlPlane,
  session: RequestContext | null,
  method: string,
  input: unknown,
  opts: DispatchOptions = {},
): Promise<RpcReply> {
  try {
    return { ok: true, result: await dispatch(cp, session, method, input, opts) };
  } catch (err) {
    if (!(err instanceof DeskError)) cp.log.error({ err, method }, 'contract method failed unexpectedly');
    const env = toEnvelope(err);
    // Unknown errors keep a generic message so internals (paths, SQL) do not reach the UI.
    return { ok: false, error: err instanceof DeskError ? env : { code: 'Internal', message: `Unexpected error in ${method}; see the control plane log.` } };
  }
}
