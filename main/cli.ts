import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from './core/config';
import type { KeyAtRest } from './hosts/ssh-identity';
import { DeskError } from './core/errors';
import { createLogger } from './core/log';
import { serve } from './serve';
import { runHostCommand } from './cli/run-host';

export const DEFAULT_PORT = 7480;

const USAGE = `Usage: deskstack <command> [options]

Commands:
  serve     Run the control plane headless: the UI in a browser and the OpenStack APIs on one port.
            --demo          seed the demo rack (3 simulated hosts), flavors, an image and a network
            --port N        port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
            --host ADDR     address to bind (default 127.0.0.1; use 0.0.0.0 to serve the LAN)
            --data DIR      data folder (default ~/.local/share/deskstack or $DESKSTACK_DATA)
            --public-url U  URL clients reach this server at (for the service catalog)
  host      Add and manage real KVM hosts on a running DeskStack: deskstack host --help

Environment:
  DESKSTACK_ADMIN_PASSWORD   the admin password on first start (else one is generated and printed once)
  DESKSTACK_FAKE_DELAY_SCALE scales the demo rack's simulated delays (1 realistic, 0 instant)
  DESKSTACK_KEY_PASSPHRASE   seals DeskStack's SSH key at rest (an existing clear key is sealed at start)
`;

function fail(message: string): never {
  process.stderr.write(`deskstack: ${message}\n`);
  process.exit(2);
}

/** A clear SSH key at rest, or a sealed one nobody can open, is said at start with what to do. */
function warnAboutKey(state: KeyAtRest, config: Config): void {
  const file = join(config.dataDir, 'keys', 'deskstack_ed25519');
  if (state === 'clear') {
    process.stderr.write(
      `deskstack: warning: DeskStack's SSH key ${file} is stored unencrypted (readable by this user only). To seal it, restart with DESKSTACK_KEY_PASSPHRASE set; keep the passphrase, every start needs it.\n`,
    );
  } else if (state === 'sealed' && !config.keyPassphrase) {
    process.stderr.write(`deskstack: warning: DeskStack's SSH key ${file}.sealed is encrypted and DESKSTACK_KEY_PASSPHRASE is not set: real hosts cannot be reached until you restart with it.\n`);
  }
}

async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      demo: { type: 'boolean', default: false },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      'public-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a number from 0 to 65535, not '${values.port}'`);
  const logger = createLogger(process.env.DESKSTACK_LOG_LEVEL ?? 'warn', process.stderr);
  const server = await serve({ demo: values.demo, port, host: values.host, dataDir: values.data, publicUrl: values['public-url'], logger });
  if (server.cp.generatedAdminPassword) {
    process.stdout.write(`Admin password for user 'admin' (shown once, keep it safe): ${server.cp.generatedAdminPassword}\n`);
  }
  warnAboutKey(server.cp.keyAtRest, server.cp.config);
  if (values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') {
    process.stderr.write(`deskstack: warning: listening on ${values.host}; the API and UI are reachable from the network.\n`);
  }
  process.stdout.write(`DeskStack API ready at ${server.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        await serveCommand(rest);
        return;
      case 'host':
        await runHostCommand(rest);
        return;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return;
      default:
        fail(`unknown command '${command}'.\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof DeskError) fail(err.message);
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) fail(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`the port is already in use (${e.message}); pick another with --port`);
    if (e.code === 'EACCES') fail(`permission denied to listen (${e.message}); use a port above 1024`);
    throw err;
  }
}
