// `deskstack host` without a server: usage errors, unreachable servers and sign-in problems give
// one clear line and the documented exit code.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { hostCommand } from '../../main/cli/host-command';
import { CliError, serverUrl } from '../../main/cli/rpc-client';

function io(env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), readStdin: async () => 'pw\n', env } };
}

async function exitOf(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliError> {
  try {
    await hostCommand(args, io(env).io);
  } catch (e) {
    assert.ok(e instanceof CliError, String(e));
    return e;
  }
  throw new Error('expected a CliError');
}

describe('deskstack host (offline)', () => {
  it('prints usage for no subcommand and refuses unknown ones with exit 2', async () => {
    const { lines, io: i } = io();
    await hostCommand([], i);
    assert.match(lines.join('\n'), /--trust-on-first-use \| --host-key SHA256/);
    assert.equal((await exitOf(['frobnicate'])).exitCode, 2);
    assert.equal((await exitOf(['list', '--bogus'])).exitCode, 2);
    assert.equal((await exitOf(['list', '--url', 'ftp://x'])).exitCode, 2);
  });

  it('needs credentials, and says so (exit 3)', async () => {
    const e = await exitOf(['list', '--url', 'http://127.0.0.1:9']);
    assert.equal(e.exitCode, 3);
    assert.match(e.message, /OS_USERNAME and OS_PASSWORD/);
  });

  it('reports an unreachable server in one line (exit 3)', async () => {
    const e = await exitOf(['list'], { DESKSTACK_URL: 'http://127.0.0.1:9', OS_USERNAME: 'admin', OS_PASSWORD: 'x' });
    assert.equal(e.exitCode, 3);
    assert.match(e.message, /cannot reach DeskStack at http:\/\/127\.0\.0\.1:9 .*deskstack serve/);
    assert.ok(!e.message.includes('\n'));
  });

  it('reports a failed sign-in with Keystone\'s message (exit 3)', async () => {
    const srv = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (srv.address() as { port: number }).port;
      const e = await exitOf(['list'], { DESKSTACK_URL: `http://127.0.0.1:${port}`, OS_USERNAME: 'admin', OS_PASSWORD: 'wrong' });
      assert.equal(e.exitCode, 3);
      assert.match(e.message, /sign-in as admin failed \(401\): The request you have made requires authentication/);
    } finally {
      srv.close();
    }
  });

  it('add needs credentials for the host before contacting anything', async () => {
    const e = await exitOf(['add', '10.0.0.5', '--url', 'http://127.0.0.1:9'], { OS_TOKEN: 't' });
    assert.equal(e.exitCode, 2);
    assert.match(e.message, /--key FILE or --password-stdin/);
    assert.equal((await exitOf(['add', '10.0.0.5', '--key', 'k', '--password-stdin'], { OS_TOKEN: 't' })).exitCode, 2);
  });

  it('normalises --url', () => {
    assert.equal(serverUrl('http://127.0.0.1:7480/', {}), 'http://127.0.0.1:7480');
    assert.equal(serverUrl(undefined, { DESKSTACK_URL: 'https://cloud.lan:8443' }), 'https://cloud.lan:8443');
  });
});
