import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { ADMIN_PASSWORD, startIdentityHarness, type IdentityHarness } from './identity-harness';

const run = promisify(execFile);
const CLI = '/usr/bin/openstack';
const skip = existsSync(CLI) && existsSync('/usr/bin/python3') ? false : `${CLI} is not installed (apt install python3-openstackclient to run this test)`;

let h: IdentityHarness;
before(async () => {
  if (!skip) h = await startIdentityHarness();
});
after(async () => h?.close());

/** Runs the real openstack client (argv, no shell) against our Keystone and parses its JSON output. */
async function openstack(args: string[], user = 'admin', password = ADMIN_PASSWORD, project = 'admin'): Promise<unknown> {
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    OS_AUTH_URL: `${h.url}/identity/v3`,
    OS_USERNAME: user,
    OS_PASSWORD: password,
    OS_PROJECT_NAME: project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
  };
  const { stdout } = await run('/usr/bin/python3', [CLI, ...args], { env, timeout: 60_000 });
  return stdout.trim() ? JSON.parse(stdout) : null;
}

test('openstack token issue and project list work against DeskStack', { skip }, async () => {
  const token = (await openstack(['token', 'issue', '-f', 'json'])) as Record<string, string>;
  assert.match(token.id, /^gAAAAA/);
  assert.equal(token.project_id, h.identity.adminIds().projectId);
  assert.equal(token.user_id, h.identity.adminIds().userId);
  const projects = (await openstack(['project', 'list', '-f', 'json'])) as Array<{ ID: string; Name: string }>;
  assert.deepEqual(projects.map((p) => p.Name), ['admin']);
});

test('openstack creates a project and a member who then sees only that project', { skip }, async () => {
  const p = (await openstack(['project', 'create', 'cli-demo', '-f', 'json'])) as { id: string; name: string };
  assert.equal(p.name, 'cli-demo');
  const u = (await openstack(['user', 'create', '--password', 'cli-pw', '--project', 'cli-demo', 'cli-user', '-f', 'json'])) as { default_project_id: string };
  assert.equal(u.default_project_id, p.id);
  await openstack(['role', 'add', '--project', 'cli-demo', '--user', 'cli-user', 'member']);
  const mine = (await openstack(['project', 'list', '-f', 'json'], 'cli-user', 'cli-pw', 'cli-demo')) as Array<{ Name: string }>;
  assert.deepEqual(mine.map((x) => x.Name), ['cli-demo']);
});
