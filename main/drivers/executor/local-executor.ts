// Runs commands on this computer, so a Linux desktop with KVM can be its own first host.
// argv goes straight to spawn (no shell); each command runs in its own process group so a
// timeout or an abort kills everything it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { Duplex, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeskError } from '../../core/errors';
import { abortReason, checkResult, outputSinks, showCommand, timeoutError } from './exec-common';
import type { ExecOptions, ExecResult, ExecStream, Executor } from './executor';
import { quoteArgv } from './shell-quote';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The environment a child gets: only what tools need, never the parent's (which may hold
 * DESKSTACK_ADMIN_PASSWORD, OS_PASSWORD or DESKSTACK_KEY_PASSPHRASE, readable in /proc/<pid>/environ).
 */
export function childEnv(opts: { pty?: boolean } = {}, parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: DEFAULT_PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  for (const key of ['HOME', 'USER', 'LOGNAME'] as const) if (parent[key]) env[key] = parent[key];
  // `script` runs its command with $SHELL, and a terminal needs TERM.
  if (opts.pty) Object.assign(env, { SHELL: '/bin/sh', TERM: 'xterm-256color' });
  return env;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is gone already; make sure the child is too
  }
}

/** A sibling temp name for atomic writes: same directory, so rename() never crosses filesystems. */
export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
}

export class LocalExecutor implements Executor {
  readonly target = 'this computer';

  run(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const [cmd, ...args] = argv;
    if (!cmd) return Promise.reject(new DeskError('BadRequest', 'empty command — give at least the program to run'));
    if (opts.signal?.aborted) return Promise.reject(abortReason(opts.signal));
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: childEnv() });
      const sinks = outputSinks(opts);
      let failure: unknown;
      const stop = (why: unknown): void => {
        failure ??= why;
        killGroup(child);
      };
      const onAbort = (): void => stop(abortReason(opts.signal!));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = opts.timeoutMs ? setTimeout(() => stop(timeoutError(this.target, argv, opts.timeoutMs!)), opts.timeoutMs) : undefined;
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      child.stdout!.setEncoding('utf8').on('data', sinks.out);
      child.stderr!.setEncoding('utf8').on('data', sinks.err);
      child.on('error', (err: NodeJS.ErrnoException) => {
        cleanup();
        const hint = err.code === 'ENOENT' ? 'it is not installed or not on PATH — install it' : 'check its permissions';
        reject(failure ?? new DeskError('Unavailable', `${this.target}: could not run \`${showCommand(argv)}\` (${err.code ?? err.message}): ${hint}`));
      });
      child.on('close', (code, signal) => {
        cleanup();
        const out = sinks.done();
        if (failure !== undefined) reject(failure);
        else resolve({ code: code ?? (signal ? 128 : 1), ...out });
      });
      child.stdin!.on('error', () => undefined); // the command may exit without reading its input
      child.stdin!.end(opts.stdin);
    });
  }

  async runChecked(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return checkResult(this.target, argv, await this.run(argv, opts), opts.hint);
  }

  async putFile(localPath: string, remotePath: string, opts: { signal?: AbortSignal; mode?: number; onProgress?: (bytes: number) => void } = {}): Promise<void> {
    const tmp = tempNameFor(remotePath);
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sent += chunk.length;
        opts.onProgress?.(sent);
        done(null, chunk);
      },
    });
    try {
      await pipeline(createReadStream(localPath), counter, createWriteStream(tmp, { mode: opts.mode ?? 0o644 }), { signal: opts.signal });
      if (opts.mode !== undefined) await chmod(tmp, opts.mode);
      await rename(tmp, remotePath);
    } catch (err) {
      await rm(tmp, { force: true });
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      throw fileError(this.target, `copy ${localPath} to ${remotePath}`, err);
    }
  }

  async writeFile(remotePath: string, content: string | Buffer, opts: { mode?: number } = {}): Promise<void> {
    const tmp = tempNameFor(remotePath);
    try {
      await writeFile(tmp, content, { mode: opts.mode ?? 0o644 });
      if (opts.mode !== undefined) await chmod(tmp, opts.mode);
      await rename(tmp, remotePath);
    } catch (err) {
      await rm(tmp, { force: true });
      throw fileError(this.target, `write ${remotePath}`, err);
    }
  }

  async readFile(remotePath: string): Promise<Buffer> {
    try {
      return await readFile(remotePath);
    } catch (err) {
      throw fileError(this.target, `read ${remotePath}`, err);
    }
  }

  openTunnel(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port });
      sock.once('connect', () => {
        sock.removeAllListeners('error');
        resolve(sock);
      });
      sock.once('error', (err) => reject(new DeskError('Unavailable', `${this.target}: cannot connect to ${host}:${port} (${err.message}) — is the console still running?`)));
    });
  }

  async openStream(argv: string[], opts: { pty?: boolean } = {}): Promise<ExecStream> {
    if (argv.length === 0) throw new DeskError('BadRequest', 'empty command — give at least the program to run');
    // A pty needs `script`, which takes one command line: quoted by the one helper, run by /bin/sh.
    const [cmd, ...args] = opts.pty ? ['script', '-qfec', quoteArgv(argv), '/dev/null'] : argv;
    const child = spawn(cmd, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: childEnv({ pty: opts.pty }) });
    const exit = new Promise<number>((resolve) => {
      child.once('error', () => resolve(127));
      child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new DeskError('Unavailable', `${this.target}: could not start \`${showCommand(argv)}\`: ${err.message}`)));
    });
    const close = (): void => killGroup(child);
    const stream = childDuplex(child, close);
    return { stream, exit, close };
  }

  async close(): Promise<void> {
    // nothing pooled
  }
}

/** The child's stdin as the writable side and its stdout + stderr (a terminal shows both) as the readable side. */
function childDuplex(child: ChildProcess, close: () => void): Duplex {
  const outputs = [child.stdout!, child.stderr!];
  const stream = new Duplex({
    read() {
      for (const o of outputs) o.resume();
    },
    write(chunk: Buffer, _enc, done) {
      if (child.stdin!.writable) child.stdin!.write(chunk, () => done());
      else done();
    },
    final(done) {
      child.stdin!.end();
      done();
    },
    destroy(err, done) {
      close();
      done(err);
    },
  });
  child.stdin!.on('error', () => undefined);
  let open = outputs.length;
  for (const o of outputs) {
    o.on('data', (d: Buffer) => {
      if (!stream.push(d)) o.pause();
    });
    o.once('end', () => {
      if (--open === 0) stream.push(null);
    });
  }
  return stream;
}

/** Maps fs errors to DeskErrors: a missing file is NotFound, anything else names the failure. */
export function fileError(target: string, what: string, err: unknown): DeskError {
  if (err instanceof DeskError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return new DeskError('NotFound', `${target}: cannot ${what}: no such file or directory`, { what });
  return new DeskError('Internal', `${target}: cannot ${what}: ${e?.message ?? String(err)} — check the path, free space and permissions`, { what });
}
