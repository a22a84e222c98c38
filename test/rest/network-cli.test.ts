import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server';

const run = promisify(execFile);
const CLI = '/usr/bin/openstack';
const skip = existsSync(CLI) && existsSync('/usr/bin/python3') ? false : `${CLI} is not installed (apt install python3-openstackclient to run this test)`;

let srv: TestServer;
let home: string;
before(async () => {
  if (skip) return;
  srv = await startTestServer();
  home = mkdtempSync(join(tmpdir(), 'deskstack-network-cli-'));
});
after(async () => {
  await srv?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function openstack(args: string[]): Promise<unknown> {
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    OS_AUTH_URL: `${srv.url}/identity/v3`,
    OS_USERNAME: 'admin',
    OS_PASSWORD: ADMIN_PASSWORD,
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
  };
  const { stdout } = await run('/usr/bin/python3', [CLI, ...args], { env, timeout: 120_000 });
  return stdout.trim() ? JSON.parse(stdout) : null;
}

test('openstack network list and network show work against DeskStack', { skip }, async () => {
  const list = (await openstack(['network', 'list', '-f', 'json'])) as Array<{ ID: string; Name: string; Subnets: unknown }>;
  assert.deepEqual(list.map((n) => n.Name), ['private']);
  const shown = (await openstack(['network', 'show', 'private', '-f', 'json'])) as Record<string, unknown>;
  assert.equal(shown.id, list[0].ID);
  assert.equal(shown.name, 'private');
  assert.equal(shown.shared, true);
  assert.equal(shown.status, 'ACTIVE');
  assert.equal(shown['router:external'], false);
  await assert.rejects(openstack(['network', 'show', 'no-such-net', '-f', 'json']), /No Network found for no-such-net|could not be found/);
});
