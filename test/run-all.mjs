// `npm test`: unit, REST and integration tests under node's test runner (through tsx), then the
// Playwright e2e tests in Debian's Chromium; ends with one line "tests: N passed, N failed".
// Usage: node test/run-all.mjs [static|unit|e2e|conformance|all] [file filter]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [mode = 'all', filter = ''] = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Types and lint are part of the test: a layering violation (electron outside main/electron/, the DB in a driver) fails CI. */
function runStaticChecks() {
  for (const [name, args] of [
    ['typecheck (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']],
    ['lint (eslint)', ['node_modules/eslint/bin/eslint.js', '.']],
  ]) {
    const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
    console.log(`${r.status === 0 ? '✔' : '✖'} ${name}`);
    if (r.status === 0) totals.passed += 1;
    else totals.failed += 1;
  }
}

function runNodeTests() {
  const files = ['test/unit', 'test/rest', 'test/integration'].flatMap(findTests).filter((f) => f.includes(filter)).sort();
  if (files.length === 0) return;
  const out = mkdtempSync(join(tmpdir(), 'deskstack-tap-'));
  const tap = join(out, 'results.tap');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { stdio: 'inherit', env: { ...process.env, DESKSTACK_LOG_LEVEL: process.env.DESKSTACK_LOG_LEVEL ?? 'silent' } },
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)`, 'm'))?.[1] ?? 0);
  totals.passed += num('pass');
  totals.failed += num('fail') + num('cancelled');
  totals.skipped += num('skipped') + num('todo');
  if (r.status !== 0 && num('fail') + num('cancelled') === 0) totals.failed += 1; // the runner itself failed
  rmSync(out, { recursive: true, force: true });
}

function runE2e() {
  const config = 'test/e2e/playwright.config.ts';
  if (!existsSync(config)) return;
  const build = spawnSync(process.execPath, ['scripts/ensure-ui.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) totals.failed += 1;
  const out = mkdtempSync(join(tmpdir(), 'deskstack-pw-'));
  const json = join(out, 'results.json');
  const r = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '-c', config, '--reporter=list,json', ...(filter ? [filter] : [])], {
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: json, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  if (existsSync(json)) {
    const stats = JSON.parse(readFileSync(json, 'utf8')).stats ?? {};
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    totals.failed += stats.unexpected ?? 0;
    totals.skipped += stats.skipped ?? 0;
    if (r.status !== 0 && !stats.unexpected) totals.failed += 1;
  } else if (r.status !== 0) totals.failed += 1;
  rmSync(out, { recursive: true, force: true });
}

/** OpenStack's Tempest against `serve --demo`: one result per selection (identity, compute, image). */
function runConformance() {
  const out = mkdtempSync(join(tmpdir(), 'deskstack-tempest-results-'));
  const results = join(out, 'results.json');
  const selections = mode === 'conformance' && filter ? [filter] : ['all'];
  const r = spawnSync(process.execPath, ['bin/tsx-run.mjs', 'test/conformance/run.ts', ...selections, '--results', results], { stdio: 'inherit' });
  const verdicts = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : [];
  totals.passed += verdicts.filter((v) => v.ok).length;
  totals.failed += verdicts.filter((v) => !v.ok).length;
  if (r.status !== 0 && verdicts.every((v) => v.ok)) totals.failed += 1;
  rmSync(out, { recursive: true, force: true });
}

if (mode === 'static' || mode === 'all') runStaticChecks();
if (mode === 'unit' || mode === 'all') runNodeTests();
if (mode === 'e2e' || mode === 'all') runE2e();
if (mode === 'conformance' || mode === 'all') runConformance();
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
