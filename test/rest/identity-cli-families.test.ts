// Debian's openstack CLI against DeskStack's Keystone, one test per resource family.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startIdentityHarness, type IdentityHarness } from './identity-harness';
import { openstackCliSkip, openstackJson, runOpenstack, type CliTarget } from '../helpers/openstack-cli';

const skip = openstackCliSkip;

let h: IdentityHarness;
before(async () => {
  if (!skip) h = await startIdentityHarness();
});
after(async () => h?.close());

const target = (over: Partial<CliTarget> = {}): CliTarget => ({ url: h.url, home: process.env.HOME ?? '/tmp', password: ADMIN_PASSWORD, ...over });
const os = (args: string[], over: Partial<CliTarget> = {}) => openstackJson(target(over), [...args, '-f', 'json']) as Promise<Record<string, unknown>>;
const osList = (args: string[], over: Partial<CliTarget> = {}) => openstackJson(target(over), [...args, '-f', 'json']) as Promise<Array<Record<string, unknown>>>;
const osRun = async (args: string[]) => {
  const r = await runOpenstack(target(), args);
  assert.equal(r.code, 0, r.stderr);
};

test('openstack domain create / set --disable / delete, with a project in it', { skip }, async () => {
  const d = await os(['domain', 'create', '--description', 'made by the CLI', 'cli-dom']);
  assert.equal(d.name, 'cli-dom');
  const p = await os(['project', 'create', '--domain', 'cli-dom', 'in-dom']);
  assert.equal(p.domain_id, d.id);
  const refused = await runOpenstack(target(), ['domain', 'delete', 'cli-dom']);
  assert.notEqual(refused.code, 0, 'an enabled domain is not deleted');
  await osRun(['domain', 'set', '--disable', 'cli-dom']);
  assert.equal((await os(['domain', 'show', String(d.id)])).enabled, false);
  await osRun(['domain', 'delete', 'cli-dom']);
  assert.equal((await osList(['domain', 'list'])).some((x) => x.Name === 'cli-dom'), false);
  assert.equal(h.identity.findProject(String(p.id)), null, 'its project went with it');
});

test('openstack group create / add user / role add --group: the member gets the role', { skip }, async () => {
  await os(['project', 'create', 'grp-proj']);
  await os(['user', 'create', '--password', 'grp-pw', 'grp-user']);
  const g = await os(['group', 'create', 'grp']);
  await osRun(['group', 'add', 'user', 'grp', 'grp-user']);
  const contains = await runOpenstack(target(), ['group', 'contains', 'user', 'grp', 'grp-user']);
  assert.match(contains.stdout, /grp-user in group grp/);
  await osRun(['role', 'add', '--group', 'grp', '--project', 'grp-proj', 'member']);
  const token = await os(['token', 'issue'], { user: 'grp-user', password: 'grp-pw', project: 'grp-proj' });
  assert.equal(typeof token.id, 'string');
  const assignments = await osList(['role', 'assignment', 'list', '--group', String(g.id), '--names']);
  assert.deepEqual(assignments.map((a) => [a.Role, a.Project]), [['member', 'grp-proj@Default']]);
});

test('openstack application credential create, then authenticating with it', { skip }, async () => {
  const ac = await os(['application', 'credential', 'create', '--description', 'for CI', 'ci-cred']);
  assert.equal(typeof ac.secret, 'string');
  const appCredential = { id: String(ac.id), secret: String(ac.secret) };
  const token = await os(['token', 'issue'], { appCredential });
  assert.equal(token.project_id, h.identity.adminIds().projectId);
  assert.equal(token.user_id, h.identity.adminIds().userId);
  const shown = await osList(['application', 'credential', 'list']);
  assert.deepEqual(shown.map((c) => c.Name), ['ci-cred']);
  assert.equal(JSON.stringify(shown).includes(appCredential.secret), false, 'the secret is shown only once');
  const wrong = await runOpenstack(target({ appCredential: { ...appCredential, secret: 'wrong' } }), ['token', 'issue']);
  assert.notEqual(wrong.code, 0);
  await osRun(['application', 'credential', 'delete', 'ci-cred']);
});

test('openstack endpoint list shows DeskStack’s own endpoints; a created service joins the catalog', { skip }, async () => {
  const endpoints = await osList(['endpoint', 'list']);
  const compute = endpoints.find((e) => e['Service Type'] === 'compute' && e.Interface === 'public');
  assert.equal(compute?.URL, `${h.url}/compute/v2.1`);
  const svc = await os(['service', 'create', '--name', 'swift', 'object-store']);
  await os(['endpoint', 'create', '--region', 'RegionOne', String(svc.id), 'public', 'http://store.example:8080/v1']);
  const catalog = await osList(['catalog', 'list']);
  assert.ok(catalog.some((c) => c.Type === 'object-store'));
  await osRun(['service', 'delete', String(svc.id)]);
});

test('openstack project create --parent and project set --tag', { skip }, async () => {
  const parent = await os(['project', 'create', 'tree-root']);
  const child = await os(['project', 'create', '--parent', 'tree-root', 'tree-leaf']);
  assert.equal(child.parent_id, parent.id);
  await osRun(['project', 'set', '--tag', 'blue', '--tag', 'prod', 'tree-leaf']);
  const shown = await os(['project', 'show', 'tree-leaf']);
  assert.deepEqual([...(shown.tags as string[])].sort(), ['blue', 'prod']);
  const tagged = await osList(['project', 'list', '--tags-any', 'prod']);
  assert.deepEqual(tagged.map((p) => p.Name), ['tree-leaf']);
  const refused = await runOpenstack(target(), ['project', 'delete', 'tree-root']);
  assert.notEqual(refused.code, 0, 'a project with children is not deleted');
});
