// Runs provisioning steps in order, each under its own timeout, with a live log and progress,
// and records every step's outcome so the wizard can show what was done and what failed.
import { DeskError } from '../core/errors';
import type { ProvisionStep, StepContext, StepOutcome } from './provision-steps';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed';

export interface StepRecord {
  id: string;
  title: string;
  status: StepStatus;
  /** True when the step changed the host; false when it found the work already done. */
  changed: boolean | null;
  summary: string | null;
  error: string | null;
  /** Last lines the step printed (shown with a failure). */
  output: string[];
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ProvisionRun {
  signal: AbortSignal;
  progress(fraction: number, step: string): void;
  log(line: string, level?: 'info' | 'warn' | 'error'): void;
  /** Called whenever a step's record changes (persist it, announce it). */
  onSteps(steps: StepRecord[]): void;
}

const OUTPUT_TAIL = 30;

/** One process-wide lock: apt never runs on two hosts at once (test-rack hosts even share /usr and dpkg's lock). */
let aptChain: Promise<unknown> = Promise.resolve();
export function withAptLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = aptChain.then(fn, fn);
  aptChain = run.catch(() => undefined);
  return run;
}

export function initialSteps(steps: ProvisionStep[]): StepRecord[] {
  return steps.map((s) => ({ id: s.id, title: s.title, status: 'pending', changed: null, summary: null, error: null, output: [], startedAt: null, finishedAt: null }));
}

/** Runs one step; rejects with a message naming the step when it fails or overruns its timeout. */
async function runStep(step: ProvisionStep, ctx: Omit<StepContext, 'signal' | 'log'>, run: ProvisionRun, record: StepRecord, target: string): Promise<StepOutcome> {
  const timeout = new AbortController();
  const limit = step.timeoutMs >= 1000 ? `${Math.round(step.timeoutMs / 1000)} s` : `${step.timeoutMs} ms`;
  const timer = setTimeout(() => timeout.abort(new DeskError('Unavailable', `timed out after ${limit}`)), step.timeoutMs);
  const signal = AbortSignal.any([run.signal, timeout.signal]);
  const log = (line: string) => {
    record.output.push(line);
    if (record.output.length > OUTPUT_TAIL) record.output.shift();
    run.log(line);
  };
  try {
    const work = step.run({ ...ctx, signal, log });
    // A step that ignores its signal still cannot hold the task past its timeout.
    const overrun = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    overrun.catch(() => undefined);
    return await Promise.race([work, overrun]);
  } catch (err) {
    if (run.signal.aborted) throw run.signal.reason;
    const why = err instanceof Error ? err.message : String(err);
    throw new DeskError('Unavailable', `Step "${step.title}" failed on ${target}: ${why}. Fix the cause, then run provisioning again: finished steps are skipped.`, { step: step.id });
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every step; on failure marks that step failed, leaves later ones pending, and rejects. */
export async function runProvisioning(steps: ProvisionStep[], ctx: Omit<StepContext, 'signal' | 'log'>, run: ProvisionRun): Promise<StepRecord[]> {
  const records = initialSteps(steps);
  run.onSteps(records);
  const target = ctx.exec.target;
  for (const [i, step] of steps.entries()) {
    const rec = records[i];
    rec.status = 'running';
    rec.startedAt = new Date().toISOString();
    run.onSteps(records);
    run.progress(i / steps.length, step.title);
    run.log(`==> ${i + 1}/${steps.length} ${step.title}`);
    try {
      const outcome = await runStep(step, ctx, run, rec, target);
      Object.assign(rec, { status: 'done', changed: outcome.changed, summary: outcome.summary, finishedAt: new Date().toISOString() });
      run.log(`    ${outcome.changed ? 'changed' : 'unchanged'}: ${outcome.summary}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      Object.assign(rec, { status: 'failed', error: message, finishedAt: new Date().toISOString() });
      run.log(message, 'error');
      run.onSteps(records);
      throw err;
    }
    run.onSteps(records);
  }
  run.progress(1, 'Provisioned');
  return records;
}
