import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmptyQcow2 } from '../../main/image/qcow2';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server';
import { openstackCliSkip, openstackJson } from '../helpers/openstack-cli';

const skip = openstackCliSkip;

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

const openstack = (args: string[]) => openstackJson({ url: srv.url, home: work, password: ADMIN_PASSWORD }, args);

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
