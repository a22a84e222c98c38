// Pieces both executors share: the failed-command error, line splitting for live logs, and abort helpers.
import { DeskError } from '../../core/errors';
import type { ExecOptions, ExecResult } from './executor';
import { quoteArgv } from './shell-quote';

const MAX_SHOWN_COMMAND = 300;
const STDERR_TAIL_LINES = 8;

/** The command as a reader would type it, shortened for messages (never includes stdin). */
export function showCommand(argv: readonly string[]): string {
  let text: string;
  try {
    text = quoteArgv(argv);
  } catch {
    text = argv.join(' ');
  }
  return text.length > MAX_SHOWN_COMMAND ? `${text.slice(0, MAX_SHOWN_COMMAND)}…` : text;
}

/** Last few lines of a command's error output. */
export function tail(text: string, lines = STDERR_TAIL_LINES): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Turns a non-zero exit into a DeskError naming the command, its exit code and the stderr tail. */
export function checkResult(target: string, argv: readonly string[], r: ExecResult, hint?: string): ExecResult {
  if (r.code === 0) return r;
  const err = tail(r.stderr) || tail(r.stdout) || '(no output)';
  const what = hint ?? 'run it by hand on the host to see why, fix the cause and retry';
  throw new DeskError('Internal', `${target}: \`${showCommand(argv)}\` failed with exit code ${r.code}: ${err} — ${what}`, {
    command: showCommand(argv),
    exitCode: r.code,
    stderr: tail(r.stderr, 20),
  });
}

/** Feeds chunks in, calls onLine for each complete line; flush() emits the unterminated rest. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let rest = '';
  return {
    push(chunk) {
      rest += chunk;
      let i: number;
      while ((i = rest.indexOf('\n')) >= 0) {
        onLine(rest.slice(0, i).replace(/\r$/, ''));
        rest = rest.slice(i + 1);
      }
    },
    flush() {
      if (rest) onLine(rest.replace(/\r$/, ''));
      rest = '';
    },
  };
}

/** Output collectors wired to opts.onLine. */
export function outputSinks(opts: ExecOptions): { out(chunk: string): void; err(chunk: string): void; done(): { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  const lo = opts.onLine ? lineSplitter((l) => opts.onLine!(l, 'stdout')) : undefined;
  const le = opts.onLine ? lineSplitter((l) => opts.onLine!(l, 'stderr')) : undefined;
  return {
    out(chunk) {
      stdout += chunk;
      lo?.push(chunk);
    },
    err(chunk) {
      stderr += chunk;
      le?.push(chunk);
    },
    done() {
      lo?.flush();
      le?.flush();
      return { stdout, stderr };
    },
  };
}

export function timeoutError(target: string, argv: readonly string[], ms: number): DeskError {
  return new DeskError('Unavailable', `${target}: \`${showCommand(argv)}\` did not finish within ${ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`} and was stopped — check whether the host is overloaded or the command hangs`, {
    command: showCommand(argv),
    timeoutMs: ms,
  });
}

/** The reason an aborted signal carries (what callers expect to be rejected with). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DeskError('Conflict', 'the operation was cancelled');
}
