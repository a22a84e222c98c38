// Runs commands on a host over SSH through one pooled keep-alive connection, shared by every caller
// of this executor (make one SshExecutor per host). The connection is opened lazily, concurrent
// callers wait for the same connect, and a dropped connection is reopened on the next call.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { Readable, type Duplex } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { DeskError } from '../../core/errors';
import { Semaphore } from '../../core/semaphore';
import { abortReason, checkResult, outputSinks, timeoutError } from './exec-common';
import type { ExecOptions, ExecResult, ExecStream, Executor } from './executor';
import { quoteArgv } from './shell-quote';
import { connectPinned, targetName, type SshTarget } from './ssh-connect';
import { sftpCall, sftpError, sftpPut, sftpRename } from './sftp';

export interface SshExecutorOptions extends SshTarget {
  /** Run every command through `sudo -n` (for a non-root user with passwordless sudo). */
  sudo?: boolean;
  /** Commands and SFTP sessions at once on the connection (default 6; sshd allows 10 sessions, streams need the rest). */
  maxConcurrent?: number;
}

/** How long a drained command's output may still arrive after it was killed. */
const DRAIN_AFTER_KILL_MS = 5_000;

export class SshExecutor implements Executor {
  readonly target: string;
  private ssh?: NodeSSH;
  private connecting?: Promise<NodeSSH>;
  private readonly slots: Semaphore;

  constructor(private readonly opts: SshExecutorOptions) {
    this.target = targetName(opts);
    this.slots = new Semaphore(opts.maxConcurrent ?? 6);
  }

  /** The pooled connection, opened (or reopened after a drop) on first use. */
  private connection(): Promise<NodeSSH> {
    if (this.ssh?.isConnected()) return Promise.resolve(this.ssh);
    this.connecting ??= connectPinned(this.opts)
      .then((ssh) => {
        const conn = ssh.connection!;
        conn.once('close', () => {
          if (this.ssh === ssh) this.ssh = undefined;
        });
        this.ssh = ssh;
        return ssh;
      })
      .finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Forgets a connection that failed under us, so the next call reconnects. */
  private drop(ssh: NodeSSH): void {
    if (this.ssh === ssh) this.ssh = undefined;
    ssh.dispose();
  }

  private commandLine(argv: readonly string[]): string {
    return quoteArgv(this.opts.sudo ? ['sudo', '-n', '--', ...argv] : argv);
  }

  /**
   * Opens an exec channel; if the pooled connection turns out dead before the command starts, reconnects once.
   * The exit status is captured inside the callback: for a quick command it can arrive in the same read.
   */
  private async channel(command: string, pty: boolean): Promise<{ ch: ClientChannel; exit: Promise<number | undefined> }> {
    for (let attempt = 0; ; attempt++) {
      const ssh = await this.connection();
      try {
        return await new Promise((resolve, reject) => {
          const cb = (err: Error | undefined, ch: ClientChannel): void => {
            if (err) return reject(err);
            let code: number | undefined;
            ch.once('exit', (c: number | null, signal?: string) => (code = c ?? (signal ? 128 : 1)));
            const exit = new Promise<number | undefined>((r) => ch.once('close', () => r(code)));
            resolve({ ch, exit });
          };
          if (pty) ssh.connection!.exec(command, { pty: { term: 'xterm-256color', rows: 24, cols: 80 } }, cb);
          else ssh.connection!.exec(command, cb);
        });
      } catch (err) {
        const dead = !ssh.isConnected();
        if (dead) this.drop(ssh);
        if (!dead || attempt >= 1) {
          throw new DeskError('Unavailable', `${this.target}: could not start a command over SSH (${(err as Error).message}) — check that the host is up`);
        }
      }
    }
  }

  run(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    // sshd ignores signal requests, so the command reports its pid (= its process group) first, to be killable
    const command = this.commandLine(['sh', '-c', 'echo $$; exec "$@"', 'sh', ...argv]);
    return this.slots.use(() => this.runNow(argv, command, opts));
  }

  private async runNow(argv: string[], command: string, opts: ExecOptions): Promise<ExecResult> {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    const { ch, exit } = await this.channel(command, false);
    return new Promise((resolve, reject) => {
      const sinks = outputSinks(opts);
      let failure: unknown;
      let pid = '';
      let head = '';
      const stop = (why: unknown): void => {
        if (failure !== undefined) return;
        failure = why;
        const known = /^\d+$/.test(pid);
        const killed = known ? this.run(['kill', '-KILL', '--', `-${pid}`]).catch(() => undefined) : Promise.resolve();
        // without its pid the command has printed nothing yet: nothing to drain
        if (!opts.drainOnStop || !known) {
          ch.close();
          return finish(undefined);
        }
        // the channel ends once the killed command has; the timer bounds the wait should it not
        void killed.then(() => setTimeout(() => {
          ch.close();
          finish(undefined);
        }, DRAIN_AFTER_KILL_MS).unref());
      };
      const onAbort = (): void => stop(abortReason(opts.signal!));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = opts.timeoutMs ? setTimeout(() => stop(timeoutError(this.target, argv, opts.timeoutMs!)), opts.timeoutMs) : undefined;
      ch.setEncoding('utf8');
      ch.stderr.setEncoding('utf8');
      ch.on('data', (chunk: string) => {
        if (pid) return sinks.out(chunk);
        head += chunk;
        const nl = head.indexOf('\n');
        if (nl < 0) return;
        pid = head.slice(0, nl) || '-';
        if (head.length > nl + 1) sinks.out(head.slice(nl + 1));
      });
      ch.stderr.on('data', sinks.err);
      let settled = false;
      const finish = (exitCode: number | undefined): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const out = sinks.done();
        if (failure !== undefined) reject(failure);
        else if (exitCode === undefined) reject(new DeskError('Unavailable', `${this.target}: the SSH connection dropped while a command ran — it may or may not have completed; check the host and retry`));
        else resolve({ code: exitCode, ...out });
      };
      void exit.then(finish);
      if (opts.stdin !== undefined) Readable.from([Buffer.from(opts.stdin)]).pipe(ch);
      else ch.end();
    });
  }

  async runChecked(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return checkResult(this.target, argv, await this.run(argv, opts), opts.hint);
  }

  private withSftp<T>(fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    return this.slots.use(() => this.withSftpNow(fn));
  }

  private async withSftpNow<T>(fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const ssh = await this.connection();
    let sftp: SFTPWrapper;
    try {
      sftp = await ssh.requestSFTP();
    } catch (err) {
      this.drop(ssh);
      throw new DeskError('Unavailable', `${this.target}: could not open SFTP (${(err as Error).message}) — is the sftp subsystem enabled in sshd_config?`);
    }
    try {
      return await fn(sftp);
    } finally {
      sftp.end();
    }
  }

  private tempName(path: string): string {
    return posix.join(posix.dirname(path), `.${posix.basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  }

  async putFile(localPath: string, remotePath: string, opts: { signal?: AbortSignal; mode?: number; onProgress?: (bytes: number) => void } = {}): Promise<void> {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    const tmp = this.tempName(remotePath);
    await this.withSftp(async (sftp) => {
      try {
        await sftpPut(sftp, localPath, tmp, opts);
        await sftpRename(sftp, tmp, remotePath);
      } catch (err) {
        await sftpCall<void>((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
        if (opts.signal?.aborted) throw abortReason(opts.signal);
        throw sftpError(this.target, `copy ${localPath} to ${remotePath}`, err);
      }
    });
  }

  async writeFile(remotePath: string, content: string | Buffer, opts: { mode?: number } = {}): Promise<void> {
    const tmp = this.tempName(remotePath);
    await this.withSftp(async (sftp) => {
      try {
        await sftpCall<void>((cb) => sftp.writeFile(tmp, content, { mode: opts.mode ?? 0o644 }, cb));
        if (opts.mode !== undefined) await sftpCall<void>((cb) => sftp.chmod(tmp, opts.mode!, cb));
        await sftpRename(sftp, tmp, remotePath);
      } catch (err) {
        await sftpCall<void>((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
        throw sftpError(this.target, `write ${remotePath}`, err);
      }
    });
  }

  async readFile(remotePath: string): Promise<Buffer> {
    return this.withSftp(async (sftp) => {
      try {
        return await sftpCall<Buffer>((cb) => sftp.readFile(remotePath, cb));
      } catch (err) {
        throw sftpError(this.target, `read ${remotePath}`, err);
      }
    });
  }

  async openTunnel(host: string, port: number): Promise<Duplex> {
    const ssh = await this.connection();
    try {
      return await ssh.forwardOut('127.0.0.1', 0, host, port);
    } catch (err) {
      throw new DeskError('Unavailable', `${this.target}: cannot open a tunnel to ${host}:${port} on the host (${(err as Error).message}) — is the console still running, and does sshd allow TCP forwarding?`);
    }
  }

  async openStream(argv: string[], opts: { pty?: boolean } = {}): Promise<ExecStream> {
    const { ch, exit: ended } = await this.channel(this.commandLine(argv), opts.pty ?? false);
    const exit = ended.then((code) => code ?? 255);
    ch.stderr.resume(); // with a pty there is none; without, it must not stall the channel
    return { stream: ch, exit, close: () => ch.close() };
  }

  async close(): Promise<void> {
    const ssh = this.ssh ?? (await this.connecting?.catch(() => undefined));
    this.ssh = undefined;
    ssh?.dispose();
  }

  /** For tests and health checks: whether a connection is open right now. */
  get connected(): boolean {
    return this.ssh?.isConnected() ?? false;
  }
}
