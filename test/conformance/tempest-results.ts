// Reads Tempest's (subunit-trace) console output and the reviewed list of deliberate gaps.
import { readFileSync } from 'node:fs';

export type Outcome = 'ok' | 'FAILED' | 'SKIPPED';

export interface TestResult {
  /** The test id without Tempest's `[id-…,smoke]` attributes, or `setUpClass (module.Class)`. */
  id: string;
  outcome: Outcome;
  detail: string;
}

// "{1} tempest.api.x.Class.test_y[id-…,smoke] [0.52s] ... ok" / "... FAILED" / "{0} … ... SKIPPED: reason" (no time)
const LINE = /^\{\d+\}\s+(.+?)(?:\s+\[[\d.]+s\])?\s+\.\.\.\s+(ok|FAILED|SKIPPED)(?::\s*(.*))?$/;

/** Strips Tempest's attribute suffix: test_x[id-abc,smoke] → test_x. */
export function bareId(id: string): string {
  return id.replace(/\[[^\]]*\]$/, '').trim();
}

export function parseTrace(text: string): TestResult[] {
  const out: TestResult[] = [];
  for (const raw of text.split('\n')) {
    const m = LINE.exec(raw.trim());
    if (m) out.push({ id: bareId(m[1]), outcome: m[2] as Outcome, detail: m[3] ?? '' });
  }
  return out;
}

export interface Gap {
  id: string;
  reason: string;
}

/** One gap a line: the test id (or `setUpClass (module.Class)`), whitespace, then why. `#` starts a comment. */
export function parseGaps(text: string): Gap[] {
  const gaps: Gap[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const m = /^(setUpClass \([^)]+\)|\S+)\s+(.+)$/.exec(t);
    if (!m) throw new Error(`known-gaps: a gap needs a reason: ${t}`);
    gaps.push({ id: m[1], reason: m[2] });
  }
  return gaps;
}

export function readGaps(path: string): Gap[] {
  return parseGaps(readFileSync(path, 'utf8'));
}

export interface Verdict {
  passed: number;
  failed: number;
  skipped: number;
  /** Failures nobody reviewed: these fail the run. */
  unexpected: TestResult[];
  /** Listed gaps that failed, as agreed. */
  expected: TestResult[];
  /** Listed gaps that passed: the list should lose them. */
  stale: Gap[];
}

export function judge(results: TestResult[], gaps: Gap[]): Verdict {
  const gapIds = new Set(gaps.map((g) => g.id));
  const failed = results.filter((r) => r.outcome === 'FAILED');
  const passedIds = new Set(results.filter((r) => r.outcome === 'ok').map((r) => r.id));
  return {
    passed: passedIds.size,
    failed: failed.length,
    skipped: results.filter((r) => r.outcome === 'SKIPPED').length,
    unexpected: failed.filter((r) => !gapIds.has(r.id)),
    expected: failed.filter((r) => gapIds.has(r.id)),
    stale: gaps.filter((g) => passedIds.has(g.id)),
  };
}
