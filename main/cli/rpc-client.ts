// The CLI's way into a running DeskStack: a Keystone token from the usual OS_* variables, then the
// UI contract over HTTP (POST /api/rpc/<method> with X-Auth-Token), errors as one clear line.
import type { ErrorEnvelope, InputOf, MethodName, ResultOf } from '../api/contract/index';

/** Exit codes: 1 the operation failed, 2 usage or an unconfirmed host key, 3 the server or login failed. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface RpcClient {
  url: string;
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>>;
}

export function serverUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flag ?? env.DESKSTACK_URL ?? 'http://127.0.0.1:7480';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CliError(`--url ${JSON.stringify(raw)} is not a URL; give one like http://127.0.0.1:7480`, 2);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError(`--url must start with http:// or https://, not ${u.protocol}`, 2);
  return u.origin + u.pathname.replace(/\/+$/, '');
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  try {
    return await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new CliError(`cannot reach DeskStack at ${new URL(url).origin} (${cause}); start it (deskstack serve) or set --url / DESKSTACK_URL`, 3);
  }
}

/** A project-scoped token from OS_USERNAME/OS_PASSWORD/OS_PROJECT_NAME (or OS_TOKEN as is). */
export async function keystoneToken(url: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.OS_TOKEN) return env.OS_TOKEN;
  const user = env.OS_USERNAME;
  const password = env.OS_PASSWORD;
  if (!user || !password) throw new CliError('set OS_USERNAME and OS_PASSWORD (and OS_PROJECT_NAME) to sign in to DeskStack, or OS_TOKEN', 3);
  const authUrl = (env.OS_AUTH_URL ?? `${url}/identity/v3`).replace(/\/+$/, '');
  const userDomain = env.OS_USER_DOMAIN_ID ? { id: env.OS_USER_DOMAIN_ID } : { name: env.OS_USER_DOMAIN_NAME ?? 'Default' };
  const projectDomain = env.OS_PROJECT_DOMAIN_ID ? { id: env.OS_PROJECT_DOMAIN_ID } : { name: env.OS_PROJECT_DOMAIN_NAME ?? 'Default' };
  const res = await post(`${authUrl}/auth/tokens`, {
    auth: {
      identity: { methods: ['password'], password: { user: { name: user, domain: userDomain, password } } },
      scope: { project: { name: env.OS_PROJECT_NAME ?? 'admin', domain: projectDomain } },
    },
  });
  const token = res.headers.get('x-subject-token');
  if (res.status !== 201 || !token) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    throw new CliError(`sign-in as ${user} failed (${res.status}): ${body.error?.message ?? res.statusText}; check OS_USERNAME, OS_PASSWORD and OS_PROJECT_NAME`, 3);
  }
  return token;
}

export async function connect(urlFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<RpcClient> {
  const url = serverUrl(urlFlag, env);
  const token = await keystoneToken(url, env);
  return {
    url,
    async call(method, input) {
      const res = await post(`${url}/api/rpc/${method}`, input, { 'x-auth-token': token });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new CliError(`${url} answered ${res.status} with something that is not DeskStack's API; check --url`, 3);
      }
      if (!res.ok) {
        const env = body as Partial<ErrorEnvelope>;
        throw new CliError(env.message ?? `${method} failed with HTTP ${res.status}`, res.status === 401 ? 3 : 1);
      }
      return body as ResultOf<typeof method>;
    },
  };
}
