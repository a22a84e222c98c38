// Server faults over the Nova API: like Nova, members read one generic sentence for a 500 fault
// (no host names, capacities or executor output) and no details; admins read everything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds, nova, waitStatus, type NovaClient } from './compute-helpers';

let t: TestServer;
let admin: NovaClient;
let member: NovaClient;
let ids: { imageId: string; networkId: string };

before(async () => {
  t = await startTestServer();
  admin = nova(t, await t.token());
  const ctx = t.cp.identity.loginLocalAdmin();
  const project = t.cp.identity.createProject(ctx, { name: 'tenant' });
  const user = await t.cp.identity.createUser(ctx, { name: 'tenant-user', password: 'tenant-pw-1' });
  t.cp.identity.assignRole(ctx, { userId: user.id, projectId: project.id, roleId: t.cp.identity.roleByName('member')!.id });
  member = nova(t, await t.token('tenant-user', 'tenant-pw-1', 'tenant'));
  ids = demoIds(t);
  t.cp.compute.flavors.create({ id: 'huge', name: 'huge', vcpus: 1, ram: 500_000, disk: 1 });
  t.cp.compute.quotas.update(project.id, { ram: -1 });
});
after(async () => t?.close());

const boot = async (name: string, flavorRef: string): Promise<string> => {
  const r = await member.call('POST', '/servers', { server: { name, imageRef: ids.imageId, flavorRef, networks: [{ uuid: ids.networkId }] } });
  assert.equal(r.status, 202);
  return r.body.server.id as string;
};

test('NoValidHost: the member reads "No valid host was found.", the admin reads which host rejected it and why', async () => {
  const id = await boot('too-big', 'huge');
  const seen = await waitStatus(member, id, ['ERROR']);
  assert.deepEqual(Object.keys(seen.fault).sort(), ['code', 'created', 'message']);
  assert.equal(seen.fault.code, 500);
  assert.equal(seen.fault.message, 'No valid host was found.');
  const listed = (await member.call('GET', '/servers/detail')).body.servers.find((s: { id: string }) => s.id === id);
  assert.equal(listed.fault.message, 'No valid host was found.');

  const full = (await admin.call('GET', `/servers/${id}`)).body.server;
  assert.match(full.fault.message, /^No valid host was found\. demo-\d rejected by RamFilter: /);
  assert.equal(typeof full.fault.details, 'string');
});

test('a failed spawn: the member gets a generic sentence, the admin gets the executor’s message', async () => {
  t.cp.hosts.fakeRack.inject({ op: 'spawn', times: 1, message: 'root@10.0.0.5:22: qemu-img create -f qcow2 /var/lib/deskstack/x failed: No space left on device' });
  const id = await boot('unlucky', '1');
  const seen = await waitStatus(member, id, ['ERROR']);
  assert.deepEqual(seen.fault, { code: 500, created: seen.fault.created, message: `Build of instance ${id} failed; ask your cloud administrator for details.` });
  const full = (await admin.call('GET', `/servers/${id}`)).body.server;
  assert.match(full.fault.message, /root@10\.0\.0\.5:22: qemu-img create .* No space left on device/);
});
