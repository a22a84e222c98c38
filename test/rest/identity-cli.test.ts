import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startIdentityHarness, type IdentityHarness } from './identity-harness';
import { openstackCliSkip, openstackJson } from '../helpers/openstack-cli';

const skip = openstackCliSkip;

let h: IdentityHarness;
before(async () => {
  if (!skip) h = await startIdentityHarness();
});
after(async () => h?.close());

/** Runs the real openstack client against our Keystone and parses its JSON output. */
const openstack = (args: string[], user = 'admin', password = ADMIN_PASSWORD, project = 'admin') =>
  openstackJson({ url: h.url, home: process.env.HOME ?? '/tmp', user, password, project }, args);

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
