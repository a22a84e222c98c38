import type { TestServer } from '../helpers/test-server';

// Tests read arbitrary response JSON and check its shape with assertions at run time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface NovaClient {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: Json }>;
}

/** A tiny Nova client over fetch: JSON in and out, the token and a microversion header. */
export function nova(t: TestServer, token: string, version?: string): NovaClient {
  return {
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${t.url}/compute/v2.1${path}`, {
        method,
        headers: {
          'x-auth-token': token,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(version ? { 'OpenStack-API-Version': `compute ${version}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
  };
}

export function demoIds(t: TestServer): { imageId: string; networkId: string } {
  const admin = t.cp.identity.loginLocalAdmin();
  return {
    imageId: t.cp.images.list(admin, {}).images.find((i) => i.name === 'cirros-0.3.4-x86_64-uec')!.id,
    networkId: t.cp.networks.list(admin, {}).networks.find((n) => n.name === 'private')!.id,
  };
}

export async function waitStatus(c: NovaClient, id: string, statuses: string[], tries = 400): Promise<Json> {
  for (let i = 0; i < tries; i++) {
    const r = await c.call('GET', `/servers/${id}`);
    if (r.status === 200 && statuses.includes(r.body.server.status)) return r.body.server;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`server ${id} never reached ${statuses.join('/')}`);
}
