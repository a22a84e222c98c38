// Runs the real `deskstack serve` as a child process (as a user would), on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface ServeProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** The generated admin password, when the server printed one. */
  generatedPassword: string | null;
  /** Output so far, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once: the control plane dies mid-work, as in a crash. */
  kill(): Promise<void>;
}

export async function startServeProcess(opts: { dataDir: string; demo?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ServeProcess> {
  const args = ['bin/deskstack.mjs', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', opts.dataDir, ...(opts.demo ? ['--demo'] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, DESKSTACK_LOG_LEVEL: 'warn', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${out}`)), opts.timeoutMs ?? 60_000);
    const onData = () => {
      const m = out.match(/DeskStack API ready at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    pid: child.pid!,
    child,
    generatedPassword: out.match(/shown once, keep it safe\): (\S+)/)?.[1] ?? null,
    output: () => out,
    async stop() {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
