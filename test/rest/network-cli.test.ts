import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server';
import { openstackCliSkip, openstackJson } from '../helpers/openstack-cli';

const skip = openstackCliSkip;

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

const openstack = (args: string[]) => openstackJson({ url: srv.url, home, password: ADMIN_PASSWORD }, args);

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
