// Control-plane benchmarks. Prints figures; asserts nothing. Run: npm run bench
// Fake-driver delays are zero here (DESKSTACK_FAKE_DELAY_SCALE=0) so the control plane alone is measured.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, ADMIN_PASSWORD, type TestServer } from '../helpers/test-server';
import { fmt, report, summarize } from './stats';
import { benchScheduler } from './scheduler-bench';
import { benchMixedLoad } from './mixed-load';

async function api(s: TestServer, token: string, method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { 'x-auth-token': token, 'content-type': 'application/json', ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const MICROVERSION = { 'OpenStack-API-Version': 'compute 2.79' };

async function timeIt(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function raiseQuotas(s: TestServer, token: string): Promise<void> {
  const projectId = s.cp.db.prepare("SELECT id FROM projects WHERE name = 'admin'").pluck().get() as string;
  await api(s, token, 'PUT', `/compute/v2.1/os-quota-sets/${projectId}`, { quota_set: { instances: -1, cores: -1, ram: -1 } });
}

/** Resolves when every id reaches a final state (ACTIVE or ERROR), watching the event bus rather than polling. */
function untilSettled(s: TestServer, ids: string[]): Promise<void> {
  const pending = new Set(ids);
  const state = s.cp.db.prepare('SELECT vm_state FROM servers WHERE id = ?').pluck();
  const check = () => {
    for (const id of [...pending]) {
      const v = state.get(id);
      if (v === 'active' || v === 'error') pending.delete(id);
    }
    return pending.size === 0;
  };
  return new Promise((resolve) => {
    if (check()) return resolve();
    const off = s.cp.bus.subscribe((e) => {
      if (e.type === 'resource' && e.kind === 'server' && pending.has(e.id) && check()) {
        off();
        resolve();
      }
    });
  });
}

const serverBody = (name: string, imageRef: string, count = 1) => ({
  server: { name, imageRef, flavorRef: '1', networks: 'none', ...(count > 1 ? { min_count: count, max_count: count } : {}) },
});

async function benchIdentity(s: TestServer): Promise<void> {
  const issue = summarize(await timeIt(200, () => s.token()));
  report('token issue (POST /identity/v3/auth/tokens)', `p50 ${fmt(issue.p50)}  p95 ${fmt(issue.p95)}  (n=${issue.n})`);
  const token = await s.token();
  const validate = summarize(
    await timeIt(500, () => fetch(`${s.url}/identity/v3/auth/tokens?nocatalog`, { headers: { 'x-auth-token': token, 'x-subject-token': token } }).then((r) => r.text())),
  );
  report('token validation (GET /identity/v3/auth/tokens)', `p50 ${fmt(validate.p50)}  p95 ${fmt(validate.p95)}  (n=${validate.n})`);
}

async function benchBoot(s: TestServer, token: string, imageRef: string): Promise<void> {
  const one: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const r = await api(s, token, 'POST', '/compute/v2.1/servers', serverBody(`one-${i}`, imageRef), MICROVERSION);
    await untilSettled(s, [r.server.id]);
    one.push(performance.now() - t);
  }
  const o = summarize(one);
  report('POST /servers → ACTIVE, one server', `p50 ${fmt(o.p50)}  p95 ${fmt(o.p95)}  (n=${o.n})`);

  const t = performance.now();
  const created = await Promise.all(
    Array.from({ length: 20 }, (_, i) => api(s, token, 'POST', '/compute/v2.1/servers', serverBody(`twenty-${i}`, imageRef), MICROVERSION)),
  );
  await untilSettled(s, created.map((r) => r.server.id));
  report('POST /servers → ACTIVE, 20 created at once', fmt(performance.now() - t));
}

async function fillServers(s: TestServer, token: string, imageRef: string, total: number): Promise<void> {
  const have = () => s.cp.db.prepare('SELECT count(*) FROM servers WHERE deleted = 0').pluck().get() as number;
  while (have() < total) {
    const batch = Math.min(100, total - have());
    await api(s, token, 'POST', '/compute/v2.1/servers', serverBody('fill', imageRef, batch), MICROVERSION);
    const ids = s.cp.db.prepare("SELECT id FROM servers WHERE vm_state NOT IN ('active','error') AND deleted = 0").pluck().all() as string[];
    await untilSettled(s, ids);
  }
}

async function benchDetail(s: TestServer, token: string, imageRef: string): Promise<void> {
  for (const total of [200, 10_000]) {
    await fillServers(s, token, imageRef, total);
    await api(s, token, 'GET', '/compute/v2.1/servers/detail'); // warm
    const d = summarize(await timeIt(20, () => api(s, token, 'GET', '/compute/v2.1/servers/detail')));
    const shown = (await api(s, token, 'GET', '/compute/v2.1/servers/detail')).servers.length;
    report(`GET /servers/detail with ${total} servers in the DB (${shown} returned)`, `p50 ${fmt(d.p50)}  p95 ${fmt(d.p95)}`);
  }
}

async function addCapacity(s: TestServer, hosts: number): Promise<void> {
  for (let i = 1; i <= hosts; i++) await s.cp.hosts.addFakeHost({ name: `bench-${i}`, vcpus: 512, memoryMb: 4 * 1024 * 1024, diskGb: 100_000 });
}

async function benchMemory(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-bench-rss-'));
  const child = spawn(process.execPath, ['bin/deskstack.mjs', 'serve', '--demo', '--port', '0', '--data', dataDir], {
    env: { ...process.env, DESKSTACK_FAKE_DELAY_SCALE: '0', DESKSTACK_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (d) => {
        buf += d;
        const m = buf.match(/DeskStack API ready at (\S+)/);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const fake = { url, token: async () => '' } as unknown as TestServer;
    const res = await fetch(`${url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: ADMIN_PASSWORD } } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } }),
    });
    const token = res.headers.get('x-subject-token')!;
    const projects = await (await fetch(`${url}/identity/v3/projects?name=admin`, { headers: { 'x-auth-token': token } })).json();
    await api(fake, token, 'PUT', `/compute/v2.1/os-quota-sets/${projects.projects[0].id}`, { quota_set: { instances: -1, cores: -1, ram: -1 } });
    const images = await api(fake, token, 'GET', '/image/v2/images?name=cirros-0.3.4-x86_64-uec');
    for (let i = 0; i < 4; i++) await api(fake, token, 'POST', '/compute/v2.1/servers', serverBody('rss', images.images[0].id, 50), MICROVERSION);
    for (let i = 0; i < 600; i++) {
      const list = await api(fake, token, 'GET', '/compute/v2.1/servers/detail');
      if (list.servers.every((x: { status: string }) => x.status === 'ACTIVE' || x.status === 'ERROR')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    report('resident memory of `serve --demo` holding 200 servers', `${(rssKb / 1024).toFixed(0)} MiB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.env.DESKSTACK_FAKE_DELAY_SCALE = '0';
  report('DeskStack control-plane benchmarks', `node ${process.version}`);
  const s = await startTestServer({ demo: true, delayScale: 0 });
  try {
    await benchIdentity(s);
    const token = await s.token();
    await raiseQuotas(s, token);
    await addCapacity(s, 20);
    const images = await api(s, token, 'GET', '/image/v2/images?name=cirros-0.3.4-x86_64-uec');
    const imageRef = images.images[0].id;
    await benchBoot(s, token, imageRef);
    await benchDetail(s, token, imageRef);
  } finally {
    await s.close();
  }
  await benchScheduler();
  await benchMemory();
  await benchMixedLoad();
}

await main();
