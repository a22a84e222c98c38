// Debian's openstack client sends hostname and tags at create and filters lists by tag; DeskStack honours both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server';
import { openstackCliSkip, openstackJson } from '../helpers/openstack-cli';

let t: TestServer;
let work: string;

const openstack = (args: string[]) => openstackJson({ url: t.url, home: work, password: ADMIN_PASSWORD }, ['--os-compute-api-version', '2.90', ...args, '-f', 'json']);

before(async () => {
  t = await startTestServer();
  work = mkdtempSync(join(tmpdir(), 'deskstack-cli-'));
});

after(async () => {
  await t?.close();
  rmSync(work, { recursive: true, force: true });
});

test('openstack server create --hostname --tag, then server list --tags / --not-tags', { timeout: 180_000, skip: openstackCliSkip }, async () => {
  const created = (await openstack(['server', 'create', '--image', 'cirros-0.3.4-x86_64-uec', '--flavor', 'm1.tiny', '--network', 'private', '--hostname', 'web-01', '--tag', 'web', '--tag', 'prod', '--wait', 'cli-web'])) as Record<string, unknown>;
  assert.equal(created.status, 'ACTIVE');
  assert.equal(created['OS-EXT-SRV-ATTR:hostname'], 'web-01');
  assert.deepEqual([...(created.tags as string[])].sort(), ['prod', 'web']);
  await openstack(['server', 'create', '--image', 'cirros-0.3.4-x86_64-uec', '--flavor', 'm1.tiny', '--network', 'private', '--tag', 'db', '--wait', 'cli-db']);

  const names = async (args: string[]) => ((await openstack(['server', 'list', ...args])) as Array<{ Name: string }>).map((s) => s.Name).sort();
  assert.deepEqual(await names(['--tags', 'web']), ['cli-web']);
  assert.deepEqual(await names(['--tags', 'web,prod']), ['cli-web']);
  assert.deepEqual(await names(['--not-tags', 'web']), ['cli-db']);
});
