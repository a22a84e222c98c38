// How password hashing affects everyone else: the event loop's delay and a cheap request's latency while
// a burst of logins and user creations runs. Prints figures; asserts nothing.
// Run: node --import tsx test/bench/password-hash-bench.ts
import { randomBytes, scryptSync } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scryptConcurrency } from '../../main/identity/password-hash';
import { ADMIN_PASSWORD, startTestServer } from '../helpers/test-server';
import { fmt, report, summarize } from './stats';

const BURST_LOGINS = 20;
const BURST_CREATES = 10;

async function main(): Promise<void> {
  const s = await startTestServer({ demo: false });
  const admin = await s.token();
  const login = () =>
    fetch(`${s.url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: ADMIN_PASSWORD } } } } }),
    }).then((r) => r.text());
  let n = 0;
  const create = () =>
    fetch(`${s.url}/identity/v3/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': admin },
      body: JSON.stringify({ user: { name: `bench-${n++}`, password: 'bench-password' } }),
    }).then((r) => r.text());
  // The cheap request every client makes: a cached token check.
  const cheap = async () => {
    const t = performance.now();
    await fetch(`${s.url}/identity/v3/auth/tokens`, { headers: { 'x-auth-token': admin, 'x-subject-token': admin } }).then((r) => r.text());
    return performance.now() - t;
  };
  const cheapStream = async (until: () => boolean) => {
    const out: number[] = [];
    while (!until()) out.push(await cheap());
    return out;
  };

  const quiet: number[] = [];
  for (let i = 0; i < 200; i++) quiet.push(await cheap());

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let done = false;
  const burst = Promise.all([...Array.from({ length: BURST_LOGINS }, login), ...Array.from({ length: BURST_CREATES }, create)]).then(() => (done = true));
  const during = await cheapStream(() => done);
  await burst;
  loop.disable();

  const salt = randomBytes(16);
  const t = performance.now();
  scryptSync('x', salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const syncCost = performance.now() - t;

  const q = summarize(quiet);
  const d = summarize(during);
  report('scrypt slots', String(scryptConcurrency()));
  report('one synchronous scrypt (blocks the loop for)', fmt(syncCost));
  report('cached token check, quiet p50 / p95', `${fmt(q.p50)} / ${fmt(q.p95)}`);
  report(`… during ${BURST_LOGINS} logins + ${BURST_CREATES} user creates, p50 / p95 (n=${d.n})`, `${fmt(d.p50)} / ${fmt(d.p95)}`);
  report('event-loop delay during the burst, p99 / max', `${fmt(loop.percentile(99) / 1e6)} / ${fmt(loop.max / 1e6)}`);
  await s.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
