// Caps how many commands run at once over one host's pooled SSH connection. sshd refuses sessions
// beyond MaxSessions (10 by default), and a refused channel must not cost the commands already running.
import type { Duplex } from 'node:stream';
import { Semaphore } from '../core/semaphore';
import type { ExecOptions, ExecResult, ExecStream, Executor } from '../drivers/executor/executor';

export class LimitedExecutor implements Executor {
  private readonly slots: Semaphore;

  constructor(
    private readonly inner: Executor,
    limit = 4,
  ) {
    this.slots = new Semaphore(limit);
  }

  get target(): string {
    return this.inner.target;
  }

  private slot<T>(fn: () => Promise<T>): Promise<T> {
    return this.slots.use(fn);
  }

  run(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.slot(() => this.inner.run(argv, opts));
  }

  runChecked(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.slot(() => this.inner.runChecked(argv, opts));
  }

  putFile(localPath: string, remotePath: string, opts?: { signal?: AbortSignal; mode?: number; onProgress?: (bytes: number) => void }): Promise<void> {
    return this.slot(() => this.inner.putFile(localPath, remotePath, opts));
  }

  writeFile(remotePath: string, content: string | Buffer, opts?: { mode?: number }): Promise<void> {
    return this.slot(() => this.inner.writeFile(remotePath, content, opts));
  }

  readFile(remotePath: string): Promise<Buffer> {
    return this.slot(() => this.inner.readFile(remotePath));
  }

  // Consoles and tunnels live long; they are not queued behind short commands.
  openTunnel(host: string, port: number): Promise<Duplex> {
    return this.inner.openTunnel(host, port);
  }

  openStream(argv: string[], opts?: { pty?: boolean }): Promise<ExecStream> {
    return this.inner.openStream(argv, opts);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
