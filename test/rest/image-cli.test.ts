import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildEmptyQcow2 } from '../../main/image/qcow2';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server';

const run = promisify(execFile);
const CLI = '/usr/bin/openstack';
const skip = existsSync(CLI) && existsSync('/usr/bin/python3') ? false : `${CLI} is not installed (apt install python3-openstackclient to run this test)`;

let srv: TestServer;
let work: string;
before(async () => {
  if (skip) return;
  srv = await startTestServer();
  work = mkdtempSync(join(tmpdir(), 'deskstack-image-cli-'));
});
after(async () => {
  await srv?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs Debian's openstack client (argv, no shell) against the test server; parses -f json output. */
async function openstack(args: string[]): Promise<unknown> {
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: work,
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

test('openstack image create/list/show/delete work against DeskStack', { skip }, async () => {
  const bytes = buildEmptyQcow2(1024 ** 3);
  const file = join(work, 'disk.qcow2');
  writeFileSync(file, bytes);
  const created = (await openstack(['image', 'create', '--file', file, '--disk-format', 'qcow2', '--container-format', 'bare', 'img', '-f', 'json'])) as Record<string, unknown>;
  assert.equal(created.name, 'img');
  assert.equal(created.disk_format, 'qcow2');

  const list = (await openstack(['image', 'list', '-f', 'json'])) as Array<{ ID: string; Name: string; Status: string }>;
  assert.deepEqual(list.map((i) => [i.Name, i.Status]), [['cirros-0.3.4-x86_64-uec', 'active'], ['img', 'active']]);

  const shown = (await openstack(['image', 'show', 'img', '-f', 'json'])) as Record<string, unknown>;
  assert.equal(shown.id, created.id);
  assert.equal(shown.status, 'active');
  assert.equal(shown.size, bytes.length);
  assert.equal(shown.virtual_size, 1024 ** 3);
  assert.equal(shown.checksum, createHash('md5').update(bytes).digest('hex'));

  await openstack(['image', 'delete', 'img']);
  const after = (await openstack(['image', 'list', '-f', 'json'])) as Array<{ Name: string }>;
  assert.deepEqual(after.map((i) => i.Name), ['cirros-0.3.4-x86_64-uec']);
  assert.ok(!existsSync(join(srv.dataDir, 'images', String(created.id))));
});
