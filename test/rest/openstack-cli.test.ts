// Acceptance: Debian's python-openstackclient against a real DeskStack server on the demo rack.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server';
import { openstackCliSkip, runOpenstack } from '../helpers/openstack-cli';
import { buildEmptyQcow2 } from '../../main/image/qcow2';


let t: TestServer;
let work: string;

const openstack = (args: string[]) => runOpenstack({ url: t.url, home: work, password: ADMIN_PASSWORD }, args);

async function ok(args: string[]): Promise<string> {
  const r = await openstack(args);
  assert.equal(r.code, 0, `openstack ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

async function poll(args: string[], done: (out: string) => boolean, tries = 60): Promise<string> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    last = await ok(args);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`openstack ${args.join(' ')} never reached the expected state; last output:\n${last}`);
}

before(async () => {
  t = await startTestServer({ delayScale: 0.05 });
  work = mkdtempSync(join(tmpdir(), 'deskstack-cli-'));
});

after(async () => {
  await t?.close();
  rmSync(work, { recursive: true, force: true });
});

test('the openstack CLI drives the compute lifecycle end to end', { timeout: 240_000, skip: openstackCliSkip }, async () => {
  const token = await ok(['token', 'issue', '-f', 'value', '-c', 'id']);
  assert.ok(token.trim().length > 10);

  const flavors = await ok(['flavor', 'list']);
  for (const name of ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge']) assert.match(flavors, new RegExp(name.replace('.', '\\.')));

  const file = join(work, 'disk.qcow2');
  writeFileSync(file, buildEmptyQcow2(1024 ** 3));
  await ok(['image', 'create', '--file', file, '--disk-format', 'qcow2', 'img']);
  const images = await ok(['image', 'list']);
  assert.match(images, /\bimg\b/);
  assert.match(images, /cirros-0\.3\.4-x86_64-uec/);

  const created = await ok(['server', 'create', '--image', 'cirros-0.3.4-x86_64-uec', '--flavor', 'm1.small', '--network', 'private', 'vm1', '--wait']);
  assert.match(created, /ACTIVE/);
  assert.match(created, /private=192\.168\.122\.\d+/);

  const list = await ok(['server', 'list']);
  assert.match(list, /vm1.*ACTIVE.*private=192\.168\.122\.\d+/);

  const rebuilt = await ok(['server', 'rebuild', '--image', 'img', '--password', 'Rebuild-Passw0rd', 'vm1', '--wait']);
  assert.match(rebuilt, /^Complete$/m);
  assert.match(rebuilt, /adminPass\s*\|\s*Rebuild-Passw0rd/);
  assert.match(await ok(['server', 'show', 'vm1', '-f', 'value', '-c', 'image']), /^img \(/);

  await ok(['server', 'stop', 'vm1']);
  await poll(['server', 'show', 'vm1', '-f', 'value', '-c', 'status'], (out) => out.trim() === 'SHUTOFF');

  await ok(['server', 'delete', 'vm1', '--wait']);
  const after = await ok(['server', 'list', '-f', 'value', '-c', 'Name']);
  assert.doesNotMatch(after, /vm1/);

  const hv = await ok(['hypervisor', 'list', '--long']);
  for (const name of ['demo-1', 'demo-2', 'demo-3']) assert.match(hv, new RegExp(`${name}.*QEMU.*up`));
});
