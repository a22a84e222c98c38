// The rebuild server action over REST: Nova's request schema by microversion, its 202 response shapes
// (PUT-like before 2.75, GET-like from 2.75, with adminPass, key_name 2.54, user_data 2.57), and its errors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds, nova, waitStatus, type Json, type NovaClient } from './compute-helpers';

let t: TestServer;
let token: string;
let c: NovaClient;
let ids: { imageId: string; networkId: string };

before(async () => {
  t = await startTestServer();
  token = await t.token();
  c = nova(t, token);
  ids = demoIds(t);
});
after(async () => t?.close());

async function boot(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await nova(t, token, '2.79').call('POST', '/servers', { server: { name, imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }], ...extra } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  await waitStatus(c, r.body.server.id, ['ACTIVE']);
  return r.body.server.id;
}

const rebuild = (v: NovaClient, id: string, body: Record<string, unknown>) => v.call('POST', `/servers/${id}/action`, { rebuild: { imageRef: ids.imageId, ...body } });

test('the response is the server as PUT shows it before 2.75, with adminPass, a Location, status REBUILD and the new fields', async () => {
  const id = await boot('rb-old');
  const before = await waitStatus(c, id, ['ACTIVE']);
  const r = await rebuild(c, id, { name: 'rb-new', metadata: { k: 'v' }, adminPass: 'pw-1', accessIPv4: '10.1.2.3' });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const s = r.body.server;
  assert.deepEqual([s.id, s.name, s.status, s.image.id, s.metadata, s.adminPass, s.accessIPv4], [id, 'rb-new', 'REBUILD', ids.imageId, { k: 'v' }, 'pw-1', '10.1.2.3']);
  assert.equal(r.headers.get('location'), `${t.url}/compute/v2.1/servers/${id}`);
  for (const k of ['OS-EXT-STS:task_state', 'OS-EXT-SRV-ATTR:host', 'key_name', 'user_data', 'OS-EXT-SRV-ATTR:user_data', 'locked', 'server_groups']) assert.equal(k in s, false, `${k} is not in a 2.1 rebuild response`);
  assert.deepEqual(Object.keys(s.addresses.private[0]).sort(), ['addr', 'version'], 'addresses without the extension fields, as PUT shows them');
  const done = await waitStatus(c, id, ['ACTIVE']);
  assert.deepEqual(done.addresses, before.addresses, 'same fixed IPs');
  assert.equal(typeof (await c.call('POST', `/servers/${id}/action`, { rebuild: { imageRef: ids.imageId } })).body.server.adminPass, 'string', 'a password is generated when none is given');
  await waitStatus(c, id, ['ACTIVE']);

  const listed = await c.call('GET', '/servers/detail?status=REBUILD');
  assert.deepEqual(listed.body.servers, [], 'status=REBUILD selects servers being rebuilt only');
});

test('key_name from 2.54, user_data from 2.57, hostname from 2.90; from 2.75 everything GET shows except OS-EXT-SRV-ATTR:user_data', async () => {
  const keyName = 'rb-key';
  const kp = await nova(t, token, '2.79').call('POST', '/os-keypairs', { keypair: { name: keyName } });
  assert.equal(kp.status, 201, JSON.stringify(kp.body));
  const id = await boot('rb-micro', { user_data: Buffer.from('old').toString('base64') });

  const v254 = await rebuild(nova(t, token, '2.54'), id, { key_name: keyName });
  assert.equal(v254.status, 202, JSON.stringify(v254.body));
  assert.equal(v254.body.server.key_name, keyName);
  assert.equal('user_data' in v254.body.server, false);
  await waitStatus(c, id, ['ACTIVE']);

  const ud = Buffer.from('#!/bin/sh\necho rebuilt\n').toString('base64');
  const v257 = await rebuild(nova(t, token, '2.57'), id, { user_data: ud, key_name: null });
  assert.deepEqual([v257.body.server.user_data, v257.body.server.key_name], [ud, null]);
  await waitStatus(c, id, ['ACTIVE']);

  const v290 = await rebuild(nova(t, token, '2.90'), id, { hostname: 'rebuilt-host', user_data: null, description: 'again' });
  assert.equal(v290.status, 202, JSON.stringify(v290.body));
  const s = v290.body.server;
  assert.deepEqual([s.user_data, s.description, s['OS-EXT-SRV-ATTR:hostname'], s['OS-EXT-STS:task_state'], s.status], [null, 'again', 'rebuilt-host', 'rebuilding', 'REBUILD']);
  assert.equal('OS-EXT-SRV-ATTR:user_data' in s, false);
  assert.deepEqual(s.server_groups, []);
  assert.ok('OS-EXT-IPS-MAC:mac_addr' in s.addresses.private[0]);
  assert.equal(s.trusted_image_certificates, null);
  await waitStatus(c, id, ['ACTIVE']);
});

test('bad requests get Nova’s 400s, another project’s server 404, a server in a state rebuild does not take 409; admins may rebuild a locked one', async () => {
  const id = await boot('rb-errors');
  const bad = async (v: NovaClient, body: Record<string, unknown>, message: RegExp) => {
    const r = await v.call('POST', `/servers/${id}/action`, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.badRequest.message, message);
  };
  await bad(c, { rebuild: {} }, /'imageRef' is a required property/);
  await bad(c, { rebuild: { imageRef: 'http://example.com/images/x' } }, /Invalid input for field\/attribute imageRef\. Value: http:\/\/example\.com\/images\/x\. 'http:\/\/example\.com\/images\/x' is not a 'uuid'/);
  await bad(c, { rebuild: { imageRef: ids.imageId, personality: [{ path: '/etc/motd', contents: 'aGk=' }] } }, /personality/);
  await bad(c, { rebuild: { imageRef: ids.imageId, user_data: 'aGk=' } }, /Additional properties are not allowed \('user_data' was unexpected\)/);
  await bad(c, { rebuild: { imageRef: ids.imageId, key_name: 'x' } }, /Additional properties are not allowed \('key_name' was unexpected\)/);
  await bad(nova(t, token, '2.57'), { rebuild: { imageRef: ids.imageId, personality: [] } }, /Additional properties are not allowed \('personality' was unexpected\)/);
  await bad(c, { rebuild: { imageRef: ids.imageId, preserve_ephemeral: 'maybe' } }, /preserve_ephemeral/);
  await bad(c, { rebuild: { imageRef: ids.imageId, preserve_ephemeral: 'yes' } }, /^preserve_ephemeral is not supported/);
  await bad(nova(t, token, '2.63'), { rebuild: { imageRef: ids.imageId, trusted_image_certificates: ['c1'] } }, /^trusted_image_certificates are not supported/);
  await bad(c, { rebuild: { imageRef: '0b7c1e2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d' } }, /^Cannot find image for rebuild$/);
  const ok = await rebuild(nova(t, token, '2.63'), id, { preserve_ephemeral: false, trusted_image_certificates: null });
  assert.equal(ok.status, 202, JSON.stringify(ok.body));
  await waitStatus(c, id, ['ACTIVE']);

  assert.equal((await c.call('POST', `/servers/${id}/action`, { lock: null })).status, 202);
  const member = t.cp.identity;
  const admin = member.loginLocalAdmin();
  const project = member.createProject(admin, { name: 'rb-other' });
  const user = await member.createUser(admin, { name: 'rb-other-user', password: 'pw-12345678' });
  member.assignRole(admin, { userId: user.id, projectId: project.id, roleId: member.roleByName('member')!.id });
  const stranger = nova(t, await t.token('rb-other-user', 'pw-12345678', 'rb-other'));
  const hidden = await rebuild(stranger, id, {});
  assert.equal(hidden.status, 404);
  assert.deepEqual(hidden.body, { itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
  // The lock binds everyone but admins, who may rebuild a locked server.
  const locked = await rebuild(c, id, {});
  assert.equal(locked.status, 202);
  await waitStatus(c, id, ['ACTIVE']);
  // A state Nova's rebuild does not take is refused with its 409.
  assert.equal((await c.call('POST', `/servers/${id}/action`, { 'os-resetState': { state: 'active' } })).status, 202);
  t.cp.db.prepare("UPDATE servers SET vm_state = 'paused' WHERE id = ?").run(id);
  const conflict = await rebuild(c, id, {});
  assert.equal(conflict.status, 409);
  assert.deepEqual(conflict.body as Json, { conflictingRequest: { code: 409, message: `Cannot 'rebuild' instance ${id} while it is in vm_state paused` } });
});
