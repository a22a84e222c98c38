// OpenStack's conformance suite against `deskstack serve --demo`: discovers the server, writes a
// tempest.conf, runs each selection with `tempest run --regex`, prints Tempest's own summary, and
// fails on any failure that is not in known-gaps.txt.
// Usage: node bin/tsx-run.mjs test/conformance/run.ts [identity|compute|image|all ...] [--regex R] [--keep] [--results FILE]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServeProcess } from '../helpers/serve-process';
import { SELECTIONS } from './features';
import { tempestConf } from './tempest-conf';
import { discover } from './discover';
import { judge, parseTrace, readGaps } from './tempest-results';

const TEMPEST = '/usr/bin/tempest';
const GAPS = resolve(import.meta.dirname, 'known-gaps.txt');
// Debian's Tempest runs on Debian's python; a pyenv python3 earlier on PATH lacks it.
const PY_ENV = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LANG: 'C.UTF-8' };

function run(cmd: string, args: string[], opts: { cwd: string; home: string; echo: boolean }): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...PY_ENV, HOME: opts.home } });
    let out = '';
    const take = (d: Buffer) => {
      out += d.toString();
      if (opts.echo) process.stdout.write(d);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => done({ code: code ?? -1, out }));
  });
}

/** Tempest's own closing block ("Totals … Worker Balance"). */
function tempestSummary(out: string): string {
  const i = out.lastIndexOf('======\nTotals');
  return i >= 0 ? out.slice(i) : out.split('\n').slice(-15).join('\n');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const keep = argv.includes('--keep');
  const valueOf = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const customRegex = valueOf('--regex');
  const resultsFile = valueOf('--results');
  const named = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--regex' && argv[i - 1] !== '--results');
  const services = customRegex ? ['custom'] : named.length === 0 || named.includes('all') ? Object.keys(SELECTIONS) : named;
  for (const s of services) if (s !== 'custom' && !SELECTIONS[s]) throw new Error(`unknown selection ${s}; known: ${Object.keys(SELECTIONS).join(', ')}`);
  if (!existsSync(TEMPEST)) {
    console.log(`✖ conformance: ${TEMPEST} is missing (apt-get install tempest)`);
    return 1;
  }

  const root = mkdtempSync(join(tmpdir(), 'deskstack-tempest-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const adminPassword = 'tempest-admin-pw';
  const server = await startServeProcess({
    dataDir: join(root, 'data'),
    demo: true,
    env: { DESKSTACK_ADMIN_PASSWORD: adminPassword, DESKSTACK_FAKE_DELAY_SCALE: '0', DESKSTACK_LOG_LEVEL: 'error' },
  });
  let failures = 0;
  const verdicts: Array<{ service: string; ok: boolean; passed: number; failed: number; skipped: number; knownGaps: number }> = [];
  try {
    const facts = await discover(server.url, adminPassword);
    const ws = join(root, 'ws');
    const init = await run(TEMPEST, ['init', ws], { cwd: root, home, echo: false });
    if (init.code !== 0) throw new Error(`tempest init failed:\n${init.out}`);
    writeFileSync(join(ws, 'etc', 'tempest.conf'), tempestConf(facts, join(ws, 'tempest.log')));
    const gaps = readGaps(GAPS);
    console.log(`conformance: Tempest against ${server.url} (workspace ${ws})`);

    for (const service of services) {
      const regex = customRegex ?? SELECTIONS[service];
      console.log(`\n== tempest run --regex '${regex}'`);
      const r = await run(TEMPEST, ['run', '--regex', regex, '--concurrency', process.env.TEMPEST_CONCURRENCY ?? '3'], { cwd: ws, home, echo: !!process.env.TEMPEST_ECHO });
      const results = parseTrace(r.out);
      const v = judge(results, gaps);
      console.log(tempestSummary(r.out));
      for (const t of v.expected) console.log(`  known gap: ${t.id}`);
      for (const g of v.stale) console.log(`  now passes, drop it from known-gaps.txt: ${g.id}`);
      for (const t of v.unexpected) console.log(`  ✖ unexpected failure: ${t.id}`);
      const ok = v.unexpected.length === 0 && results.length > 0;
      if (results.length === 0) console.log(`  ✖ no test ran; tempest said:\n${r.out.split('\n').slice(-30).join('\n')}`);
      console.log(`${ok ? '✔' : '✖'} conformance ${service}: ${v.passed} passed, ${v.failed} failed (${v.expected.length} known gaps), ${v.skipped} skipped`);
      if (!ok) failures += 1;
      verdicts.push({ service, ok, passed: v.passed, failed: v.failed, skipped: v.skipped, knownGaps: v.expected.length });
    }
    if (failures > 0) console.log(`Tempest's log with every request: ${join(ws, 'tempest.log')} (kept)`);
  } finally {
    if (resultsFile) writeFileSync(resultsFile, JSON.stringify(verdicts));
    await server.stop();
    if (failures === 0 && !keep) rmSync(root, { recursive: true, force: true });
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
