import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { memberOf, startTestServer, type TestServer } from '../helpers/test-server';

// Shared by the Glance REST tests: one HTTP call with a token and a JSON or raw body, and the check
// that an error answer has Glance's error body.

export interface Res {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  raw: Buffer;
}

export interface CallOptions {
  /** Defaults to the caller's token; null sends none. */
  token?: string | null;
  json?: unknown;
  body?: Buffer | string;
  type?: string;
  headers?: Record<string, string>;
}

export async function glanceCall(srv: TestServer, defaultToken: string, method: string, path: string, opts: CallOptions = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? defaultToken : opts.token;
  if (token) headers['x-auth-token'] = token;
  let body: Buffer | string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = opts.type ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = opts.body;
    headers['content-type'] = opts.type ?? 'application/octet-stream';
  }
  const res = await fetch(`${srv.url}${path}`, { method, headers, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
  const raw = Buffer.from(await res.arrayBuffer());
  let parsed: unknown = null;
  if ((res.headers.get('content-type') ?? '').includes('json') && raw.length) parsed = JSON.parse(raw.toString('utf8'));
  return { status: res.status, headers: res.headers, body: parsed, raw };
}

export function assertGlanceError(res: Res, status: number): void {
  assert.equal(res.status, status, res.raw.toString());
  assert.equal(res.body.error.code, status);
  assert.equal(typeof res.body.error.message, 'string');
  assert.equal(typeof res.body.error.title, 'string');
}

export interface GlanceTestbed {
  srv: TestServer;
  /** The admin's token, used by call() unless told otherwise. */
  admin: string;
  /** A member of its own project. */
  member: { token: string; projectId: string };
  call(method: string, path: string, opts?: CallOptions): Promise<Res>;
}

/** Starts a test server for the file's tests (stopped after them), with an admin and a member of `project`. */
export function glanceTestbed(project: string): GlanceTestbed {
  const bed = {
    call: (method: string, path: string, opts: CallOptions = {}) => glanceCall(bed.srv, bed.admin, method, path, opts),
  } as GlanceTestbed;
  before(async () => {
    bed.srv = await startTestServer();
    bed.admin = await bed.srv.token();
    bed.member = await memberOf(bed.srv, project);
  });
  after(async () => bed.srv?.close());
  return bed;
}
