// Mixed load on `serve --demo` (a child process, as clients see it): concurrent requests of which
// 5 % create a key pair (RSA generation) and 2 % log in (scrypt); prints the latency of the other
// 93 % so CPU-heavy work stalling the rest shows up. Prints figures; asserts nothing.
// Run alone: node bin/tsx-run.mjs test/bench/mixed-load.ts [requests] [concurrency]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiClient } from '../helpers/api-client';
import { startServeProcess } from '../helpers/serve-process';
import { fmt, report, summarize } from './stats';

const PASSWORD = 'mixed-load-secret';

const LOGIN_BODY = JSON.stringify({
  auth: {
    identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: PASSWORD } } },
    scope: { project: { name: 'admin', domain: { id: 'default' } } },
  },
});

// The 93 %: what a dashboard and CLI ask all the time.
const READS = ['/compute/v2.1/flavors/detail', '/compute/v2.1/servers/detail', '/image/v2/images', '/identity/v3/auth/tokens', '/network/v2.0/networks'];

export async function benchMixedLoad(total = 1500, concurrency = 24): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-bench-mixed-'));
  const serve = await startServeProcess({ dataDir, demo: true, env: { DESKSTACK_ADMIN_PASSWORD: PASSWORD, DESKSTACK_FAKE_DELAY_SCALE: '0', DESKSTACK_LOG_LEVEL: 'error' } });
  try {
    const api = await ApiClient.login(serve.url, PASSWORD);
    const project = (await api.rest('GET', '/identity/v3/projects?name=admin')).body.projects[0].id;
    await api.rest('PUT', `/compute/v2.1/os-quota-sets/${project}`, { quota_set: { key_pairs: -1 } });
    const headers = { 'x-auth-token': api.token, 'x-subject-token': api.token };
    const times = { other: [] as number[], keygen: [] as number[], login: [] as number[] };
    let failures = 0;
    let issued = 0;
    const one = async (i: number): Promise<void> => {
      const r = (i * 7919) % 100; // a fixed, evenly spread mix: 5 key pairs and 2 logins in every 100
      const t = performance.now();
      let res: Response;
      let kind: keyof typeof times;
      if (r < 5) {
        kind = 'keygen';
        res = await fetch(`${serve.url}/compute/v2.1/os-keypairs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ keypair: { name: `k${i}` } }) });
      } else if (r < 7) {
        kind = 'login';
        res = await fetch(`${serve.url}/identity/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: LOGIN_BODY });
      } else {
        kind = 'other';
        res = await fetch(`${serve.url}${READS[i % READS.length]}`, { headers });
      }
      await res.arrayBuffer();
      times[kind].push(performance.now() - t);
      if (res.status >= 400) failures++;
    };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (issued < total) await one(issued++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const line = (s: ReturnType<typeof summarize>) => `p50 ${fmt(s.p50)}  p99 ${fmt(s.p99)}  max ${fmt(s.max)}  (n=${s.n})`;
    report(`mixed load: ${total} requests, ${concurrency} at once`, `${(total / seconds).toFixed(0)} req/s, ${failures} failed`);
    report('  other requests (93 %)', line(summarize(times.other)));
    report('  key-pair generation (5 %)', line(summarize(times.keygen)));
    report('  logins (2 %)', line(summarize(times.login)));
  } finally {
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [total, concurrency] = process.argv.slice(2).map(Number);
  await benchMixedLoad(total || undefined, concurrency || undefined);
}
