// How DeskStack runs commands on a host: over SSH (SshExecutor) or on this computer (LocalExecutor).
// Commands are argv arrays, never shell strings built from user input; where a transport needs one
// string (SSH exec), the argv is quoted by the one tested helper (main/drivers/executor/shell-quote.ts).
import type { Duplex } from 'node:stream';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  signal?: AbortSignal;
  /** Bytes fed to the command's standard input. */
  stdin?: string | Buffer;
  /** Kills the command and rejects after this long. */
  timeoutMs?: number;
  /** Live output, line by line, for task logs. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** What to do when runChecked fails, appended to its message (default: a generic hint). */
  hint?: string;
  /**
   * On abort or timeout, still deliver the killed command's output to onLine until it has ended, then
   * reject: for a caller that must see every line the command printed (what it made, to undo it).
   */
  drainOnStop?: boolean;
}

/** An interactive process with its stdin/stdout as one duplex stream (serial console). */
export interface ExecStream {
  stream: Duplex;
  /** Resolves with the exit code when the process ends. */
  exit: Promise<number>;
  close(): void;
}

export interface Executor {
  /** Who we talk to, for messages: "root@10.0.0.5:22" or "this computer". */
  readonly target: string;
  /** Runs argv; resolves with the exit code whatever it is. Rejects only when the command could not be run at all. */
  run(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Like run, but a non-zero exit rejects with a DeskError naming the command, its exit code and the tail of stderr. */
  runChecked(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Copies a local file to the host (atomically: temp name, then rename). */
  putFile(localPath: string, remotePath: string, opts?: { signal?: AbortSignal; mode?: number; onProgress?: (bytes: number) => void }): Promise<void>;
  /** Writes content to a file on the host (atomically: temp name, then rename). */
  writeFile(remotePath: string, content: string | Buffer, opts?: { mode?: number }): Promise<void>;
  readFile(remotePath: string): Promise<Buffer>;
  /** A TCP connection to host:port as seen from the host (SSH direct-tcpip): VNC consoles bound to the host's loopback. */
  openTunnel(host: string, port: number): Promise<Duplex>;
  /** Starts an interactive process (e.g. `virsh console`) with a pty when asked. */
  openStream(argv: string[], opts?: { pty?: boolean }): Promise<ExecStream>;
  /** Releases the connection (pooled executors reconnect on the next call). */
  close(): Promise<void>;
}
