// A small HTTP client for tests that drive a running DeskStack the way its clients do:
// a Keystone token, the OpenStack REST APIs, and the UI contract over /api/rpc.

export interface Reply {
  status: number;
  // Tests read whatever the server returned.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class ApiClient {
  private constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  static async login(url: string, password: string, user = 'admin', project = 'admin'): Promise<ApiClient> {
    const res = await fetch(`${url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } },
          scope: { project: { name: project, domain: { id: 'default' } } },
        },
      }),
    });
    if (res.status !== 201) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    return new ApiClient(url, res.headers.get('x-subject-token')!);
  }

  async rest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'x-auth-token': this.token, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body: parsed };
  }

  /** Uploads bytes as an image through Glance's API; returns its id. */
  async uploadImage(name: string, bytes: Buffer, diskFormat = 'qcow2'): Promise<string> {
    const created = await this.rest('POST', '/image/v2/images', { name, disk_format: diskFormat, container_format: 'bare', visibility: 'public' });
    if (created.status !== 201) throw new Error(`image create: ${created.status} ${JSON.stringify(created.body)}`);
    const res = await fetch(`${this.url}/image/v2/images/${created.body.id}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': this.token, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });
    if (res.status !== 204) throw new Error(`image upload: ${res.status} ${await res.text()}`);
    return created.body.id;
  }

  async rpc(method: string, input: unknown = {}): Promise<Reply> {
    return this.rest('POST', `/api/rpc/${method}`, input);
  }

  /** Polls a task through the contract until it ends. */
  async waitTask(id: string, timeoutMs = 300_000): Promise<{ state: string; error: { message: string } | null }> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.rpc('taskList', {});
      const task = (r.body as Array<{ id: string; state: string; error: { message: string } | null }>).find((t) => t.id === id);
      if (task && !['queued', 'running'].includes(task.state)) return task;
      if (Date.now() > end) throw new Error(`task ${id} did not end in time`);
      await new Promise((res) => setTimeout(res, 250));
    }
  }
}
