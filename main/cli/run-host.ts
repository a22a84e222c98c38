// Process glue for `deskstack host …`: real stdout/stdin, one-line errors on stderr, exit codes.
import { CliError } from './rpc-client';
import { hostCommand } from './host-command';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin expects the password on standard input (e.g. from a file or a password manager), not a terminal', 2);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function runHostCommand(args: string[]): Promise<void> {
  try {
    await hostCommand(args, { out: (line) => process.stdout.write(`${line}\n`), readStdin, env: process.env });
    process.exit(0); // do not linger on keep-alive HTTP sockets
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`deskstack: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    throw err;
  }
}
