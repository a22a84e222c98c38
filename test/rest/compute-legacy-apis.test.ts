// The APIs older clients use: the image, network and security group proxies (404 from 2.36), the
// legacy /v2 endpoint with the project id in the path, quota classes, server password and addresses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { memberOf, startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds, nova, waitStatus, type NovaClient } from './compute-helpers';

let t: TestServer;
let admin: NovaClient;
let member: NovaClient;
let memberToken: string;
let memberProject: string;
let ids: { imageId: string; networkId: string };

before(async () => {
  t = await startTestServer();
  admin = nova(t, await t.token());
  const m = await memberOf(t, 'legacy');
  memberToken = m.token;
  memberProject = m.projectId;
  member = nova(t, m.token);
  ids = demoIds(t);
});
after(async () => t?.close());

test('/images proxies the image service until 2.35; image metadata until 2.38', async () => {
  const list = await member.call('GET', '/images');
  assert.equal(list.status, 200);
  const cirros = list.body.images.find((i: { id: string }) => i.id === ids.imageId);
  assert.deepEqual(Object.keys(cirros).sort(), ['id', 'links', 'name']);
  assert.equal(cirros.links[2].rel, 'alternate');
  const detail = await member.call('GET', `/images/detail?name=${encodeURIComponent(cirros.name)}`);
  assert.equal(detail.body.images.length, 1);
  assert.equal(detail.body.images[0].status, 'ACTIVE');
  assert.equal(detail.body.images[0].progress, 100);
  assert.equal((await member.call('GET', '/images?status=ACTIVE&limit=1')).body.images.length, 1);
  assert.equal((await member.call('GET', '/images?changes-since=2011/01/01')).status, 400);
  assert.equal((await member.call('GET', '/images/00000000-0000-0000-0000-000000000000')).body.itemNotFound.message, 'Image not found.');
  assert.equal((await nova(t, memberToken, '2.36').call('GET', '/images')).status, 404);

  // Metadata on an image of the member's own, made through the image service.
  const own = t.cp.images.create(t.cp.identity.contextFor(t.cp.identity.listUsers(t.cp.identity.loginLocalAdmin(), { name: 'legacy-user' })[0].id, memberProject), { name: 'mine', disk_format: 'raw', container_format: 'bare' });
  assert.deepEqual((await member.call('POST', `/images/${own.id}/metadata`, { metadata: { os: 'linux', tier: 'web' } })).body, { metadata: { os: 'linux', tier: 'web' } });
  assert.deepEqual((await member.call('PUT', `/images/${own.id}/metadata/os`, { meta: { os: 'bsd' } })).body, { meta: { os: 'bsd' } });
  assert.equal((await member.call('PUT', `/images/${own.id}/metadata/os`, { meta: { other: 'x' } })).body.badRequest.message, 'Request body and URI mismatch');
  assert.deepEqual((await member.call('GET', `/images/${own.id}/metadata/os`)).body, { meta: { os: 'bsd' } });
  assert.deepEqual((await member.call('PUT', `/images/${own.id}/metadata`, { metadata: { only: 'this' } })).body, { metadata: { only: 'this' } });
  assert.deepEqual(t.cp.images.get(t.cp.identity.loginLocalAdmin(), own.id).properties, { only: 'this' });
  assert.equal((await member.call('DELETE', `/images/${own.id}/metadata/only`)).status, 204);
  assert.equal((await member.call('DELETE', `/images/${own.id}/metadata/only`)).status, 404);
  assert.equal((await nova(t, memberToken, '2.39').call('GET', `/images/${own.id}/metadata`)).status, 404);
  assert.equal((await member.call('DELETE', `/images/${own.id}`)).status, 204);
  assert.equal((await member.call('GET', `/images/${own.id}`)).status, 404);
});

test('os-networks and os-security-groups answer below 2.36; servers join and leave the default group', async () => {
  const nets = await member.call('GET', '/os-networks');
  const priv = nets.body.networks.find((n: { id: string }) => n.id === ids.networkId);
  assert.equal(priv.label, 'private');
  assert.equal(priv.cidr, null);
  assert.equal((await member.call('GET', `/os-networks/${ids.networkId}`)).body.network.label, 'private');
  assert.equal((await member.call('GET', '/os-networks/nope')).body.itemNotFound.message, 'Network not found');
  assert.equal((await nova(t, memberToken, '2.36').call('GET', '/os-networks')).status, 404);

  const groups = (await member.call('GET', '/os-security-groups')).body.security_groups;
  assert.equal(groups.length, 1);
  assert.equal(groups[0].name, 'default');
  assert.equal(groups[0].tenant_id, memberProject);
  assert.equal((await member.call('GET', `/os-security-groups/${groups[0].id}`)).body.security_group.id, groups[0].id);
  assert.equal((await nova(t, memberToken, '2.36').call('GET', '/os-security-groups')).status, 404);

  const r = await member.call('POST', '/servers', { server: { name: 'sg', imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] } });
  const id = r.body.server.id;
  await waitStatus(member, id, ['ACTIVE']);
  assert.equal((await member.call('GET', `/servers/${id}/os-security-groups`)).body.security_groups[0].name, 'default');
  assert.equal((await member.call('POST', `/servers/${id}/action`, { removeSecurityGroup: { name: 'default' } })).status, 202);
  assert.equal((await member.call('GET', `/servers/${id}`)).body.server.security_groups, undefined);
  assert.equal((await member.call('POST', `/servers/${id}/action`, { removeSecurityGroup: { name: 'default' } })).status, 400);
  assert.equal((await member.call('POST', `/servers/${id}/action`, { addSecurityGroup: { name: 'web' } })).status, 404);
  assert.equal((await member.call('POST', `/servers/${id}/action`, { addSecurityGroup: { name: 'default' } })).status, 202);
  assert.deepEqual((await member.call('GET', `/servers/${id}`)).body.server.security_groups, [{ name: 'default' }]);

  // Addresses, the server password and the request id header.
  const ips = await member.call('GET', `/servers/${id}/ips`);
  assert.deepEqual(Object.keys(ips.body.addresses), ['private']);
  assert.deepEqual(Object.keys(ips.body.addresses.private[0]).sort(), ['addr', 'version']);
  assert.equal((await member.call('GET', `/servers/${id}/ips/private`)).body.private[0].addr, ips.body.addresses.private[0].addr);
  assert.equal((await member.call('GET', `/servers/${id}/ips/other`)).status, 404);
  assert.deepEqual((await member.call('GET', `/servers/${id}/os-server-password`)).body, { password: '' });
  assert.equal((await member.call('DELETE', `/servers/${id}/os-server-password`)).status, 204);
  const actions = (await member.call('GET', `/servers/${id}/os-instance-actions`)).body.instanceActions;
  assert.equal(actions[actions.length - 1].request_id, r.headers.get('x-compute-request-id'));
});

test('the legacy /v2 endpoint serves the same API without microversion headers, with the project id in the path', async () => {
  const call = (path: string, token = memberToken, headers: Record<string, string> = {}) => fetch(`${t.url}/compute${path}`, { headers: { 'x-auth-token': token, ...headers } });
  const flavors = await call(`/v2/${memberProject}/flavors`, memberToken, { 'OpenStack-API-Version': 'compute 2.60' });
  assert.equal(flavors.status, 200);
  assert.equal(flavors.headers.get('openstack-api-version'), null);
  assert.ok(((await flavors.json()) as { flavors: unknown[] }).flavors.length > 0);
  assert.equal((await call('/v2/flavors')).status, 200);
  assert.equal((await call(`/v2.1/${memberProject}/servers`)).status, 200);
  const wrong = await call(`/v2.1/${t.cp.identity.adminIds().projectId}/servers`);
  assert.equal(wrong.status, 400);
  assert.match(((await wrong.json()) as { badRequest: { message: string } }).badRequest.message, /^Malformed request URL: URL's project_id/);
  const doc = (await (await fetch(`${t.url}/compute/v2/`)).json()) as { version: { id: string } };
  assert.equal(doc.version.id, 'v2.0');
});

test('os-quota-class-sets: the default class sets the defaults of every project without its own limits', async () => {
  const shown = (await admin.call('GET', '/os-quota-class-sets/default')).body.quota_class_set;
  assert.equal(shown.id, 'default');
  assert.equal(shown.instances, 10);
  assert.equal(shown.fixed_ips, -1);
  assert.equal(shown.server_groups, undefined);
  const updated = await admin.call('PUT', '/os-quota-class-sets/default', { quota_class_set: { instances: 25, fixed_ips: 99 } });
  assert.equal(updated.body.quota_class_set.instances, 25);
  assert.equal(updated.body.quota_class_set.id, undefined);
  assert.equal((await member.call('GET', `/os-quota-sets/${memberProject}`)).body.quota_set.instances, 25);
  assert.equal((await nova(t, await t.token(), '2.50').call('GET', '/os-quota-class-sets/default')).body.quota_class_set.server_groups, 10);
  assert.equal((await member.call('PUT', '/os-quota-class-sets/default', { quota_class_set: { instances: 1 } })).status, 403);
  const big = await admin.call('PUT', `/os-quota-sets/${memberProject}`, { quota_set: { instances: '4294967296' } });
  assert.equal(big.status, 400);
  assert.equal(big.body.badRequest.message, 'Invalid input for field/attribute instances. Value: 4294967296. 4294967296 is greater than the maximum of 2147483647');
  assert.equal((await admin.call('PUT', `/os-quota-sets/${memberProject}`, { quota_set: { instances: 4294967296 } })).status, 400);
  assert.equal((await admin.call('PUT', '/os-quota-class-sets/default', { quota_class_set: { instances: 10, fixed_ips: -1 } })).status, 200);
});

test('hypervisor uptime comes from the host; actions DeskStack lacks still find the server first', async () => {
  const hv = (await admin.call('GET', '/os-hypervisors')).body.hypervisors[0];
  const up = await admin.call('GET', `/os-hypervisors/${hv.id}/uptime`);
  assert.equal(up.status, 200);
  assert.match(up.body.hypervisor.uptime, / up .*load average: /);
  const v288 = await nova(t, await t.token(), '2.88').call('GET', '/os-hypervisors/detail');
  assert.match(v288.body.hypervisors[0].uptime, / up /);

  const missing = '00000000-0000-0000-0000-000000000000';
  for (const action of [{ migrate: null }, { forceDelete: null }, { restore: null }, { rebuild: { imageRef: ids.imageId } }]) {
    const r = await admin.call('POST', `/servers/${missing}/action`, action);
    assert.equal(r.status, 404, JSON.stringify(action));
  }
  const r = await member.call('POST', '/servers', { server: { name: 'acts', imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] } });
  const id = r.body.server.id;
  await waitStatus(member, id, ['ACTIVE']);
  const restore = await member.call('POST', `/servers/${id}/action`, { restore: null });
  assert.equal(restore.status, 409);
  assert.equal(restore.body.conflictingRequest.message, `Cannot 'restore' instance ${id} while it is in vm_state active`);
  const pause = await member.call('POST', `/servers/${id}/action`, { pause: null });
  assert.equal(pause.status, 501);
  assert.equal((await member.call('POST', `/servers/${id}/action`, { explode: null })).status, 400);
});
