import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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

test('version documents and microversion headers', async () => {
  const root = await fetch(`${t.url}/compute/`);
  assert.equal(root.status, 200);
  const doc = (await root.json()) as Json;
  assert.deepEqual(doc.versions.map((v: Json) => [v.id, v.status, v.min_version]), [['v2.0', 'SUPPORTED', ''], ['v2.1', 'CURRENT', '2.1']]);
  assert.equal(doc.versions[1].links[0].href, `${t.url}/compute/v2.1/`);
  for (const p of ['/compute/v2.1', '/compute/v2.1/']) {
    const r = await fetch(t.url + p);
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as Json).version.id, 'v2.1');
  }

  const latest = await nova(t, token, 'latest').call('GET', '/flavors');
  const max = doc.versions[1].version;
  assert.equal(latest.headers.get('openstack-api-version'), `compute ${max}`);
  assert.equal(latest.headers.get('x-openstack-nova-api-version'), max);
  assert.equal(latest.headers.get('vary'), 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
  const legacy = await c.call('GET', '/flavors', undefined, { 'X-OpenStack-Nova-API-Version': '2.25' });
  assert.equal(legacy.headers.get('openstack-api-version'), 'compute 2.25');
  const dflt = await c.call('GET', '/flavors');
  assert.equal(dflt.headers.get('openstack-api-version'), 'compute 2.1');

  const tooNew = await nova(t, token, '9.99').call('GET', '/flavors');
  assert.equal(tooNew.status, 406);
  assert.deepEqual(tooNew.body, { computeFault: { code: 406, message: `Version 9.99 is not supported by the API. Minimum is 2.1 and maximum is ${max}.` } });
  const garbage = await nova(t, token, 'abc').call('GET', '/flavors');
  assert.equal(garbage.status, 400);
  assert.match(garbage.body.badRequest.message, /is of invalid format/);
});

test('flavors: list, detail by microversion, show, 404', async () => {
  const list = await c.call('GET', '/flavors');
  assert.deepEqual(list.body.flavors.map((f: Json) => f.name), ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge']);
  const detail = await c.call('GET', '/flavors/detail');
  const small = detail.body.flavors.find((f: Json) => f.id === '2');
  assert.deepEqual(
    { ...small, links: undefined },
    { id: '2', name: 'm1.small', ram: 2048, disk: 20, vcpus: 1, 'OS-FLV-EXT-DATA:ephemeral': 0, 'OS-FLV-DISABLED:disabled': false, swap: '', rxtx_factor: 1, 'os-flavor-access:is_public': true, links: undefined },
  );
  const v75 = await nova(t, token, '2.75').call('GET', '/flavors/2');
  assert.equal(v75.body.flavor.swap, 0);
  assert.equal(v75.body.flavor.description, null);
  assert.deepEqual(v75.body.flavor.extra_specs, {});
  const missing = await c.call('GET', '/flavors/nope');
  assert.deepEqual(missing.body, { itemNotFound: { code: 404, message: 'Flavor nope could not be found.' } });
});

test('server create → show → list → actions → delete, with Nova field names', async () => {
  const v = nova(t, token, '2.79');
  const created = await v.call('POST', '/servers', { server: { name: 'api-vm', imageRef: ids.imageId, flavorRef: '2', networks: [{ uuid: ids.networkId }], metadata: { role: 'web' } } });
  assert.equal(created.status, 202);
  assert.deepEqual(Object.keys(created.body.server).sort(), ['OS-DCF:diskConfig', 'adminPass', 'id', 'links', 'security_groups']);
  const id = created.body.server.id;
  const s = await waitStatus(v, id, ['ACTIVE']);
  assert.equal(s.name, 'api-vm');
  assert.equal(s['OS-EXT-STS:vm_state'], 'active');
  assert.equal(s['OS-EXT-STS:task_state'], null);
  assert.equal(s['OS-EXT-STS:power_state'], 1);
  assert.match(s['OS-EXT-SRV-ATTR:host'], /^demo-[123]$/);
  assert.equal(s['OS-EXT-SRV-ATTR:hypervisor_hostname'], s['OS-EXT-SRV-ATTR:host']);
  assert.match(s['OS-EXT-SRV-ATTR:instance_name'], /^instance-[0-9a-f]{8}$/);
  assert.equal(s['OS-EXT-AZ:availability_zone'], 'nova');
  assert.match(s.hostId, /^[0-9a-f]{56}$/);
  assert.deepEqual(s.flavor, { vcpus: 1, ram: 2048, disk: 20, ephemeral: 0, swap: 0, original_name: 'm1.small', extra_specs: {} });
  assert.deepEqual(s.metadata, { role: 'web' });
  assert.equal(s.addresses.private[0]['OS-EXT-IPS:type'], 'fixed');
  assert.match(s.addresses.private[0].addr, /^192\.168\.122\.\d+$/);
  assert.equal(s.locked, false);
  assert.equal(s.description, null);
  assert.deepEqual(s.tags, []);
  assert.equal(s.locked_reason, null);
  assert.equal(s.tenant_id, t.cp.identity.adminIds().projectId);

  const v21 = await c.call('GET', `/servers/${id}`);
  assert.deepEqual(Object.keys(v21.body.server.flavor).sort(), ['id', 'links']);
  assert.equal('locked' in v21.body.server, false);

  const brief = await c.call('GET', '/servers');
  assert.deepEqual(Object.keys(brief.body.servers[0]).sort(), ['id', 'links', 'name']);

  assert.equal((await c.call('POST', `/servers/${id}/action`, { 'os-stop': null })).status, 202);
  const again = await c.call('POST', `/servers/${id}/action`, { 'os-stop': null });
  assert.equal(again.status, 409);
  assert.match(again.body.conflictingRequest.message, new RegExp(`^Cannot 'stop' instance ${id} while it is in (task_state powering-off|vm_state stopped)$`));
  await waitStatus(c, id, ['SHUTOFF']);
  assert.equal((await c.call('POST', `/servers/${id}/action`, { 'os-start': null })).status, 202);
  await waitStatus(c, id, ['ACTIVE']);
  assert.equal((await c.call('POST', `/servers/${id}/action`, { reboot: { type: 'HARD' } })).status, 202);
  await waitStatus(c, id, ['ACTIVE']);
  const out = await c.call('POST', `/servers/${id}/action`, { 'os-getConsoleOutput': { length: 5 } });
  assert.equal(out.status, 200);
  assert.equal(typeof out.body.output, 'string');

  const md = await c.call('POST', `/servers/${id}/metadata`, { metadata: { tier: 'gold' } });
  assert.deepEqual(md.body.metadata, { role: 'web', tier: 'gold' });
  const put = await c.call('PUT', `/servers/${id}`, { server: { name: 'renamed' } });
  assert.equal(put.body.server.name, 'renamed');

  const actions = await c.call('GET', `/servers/${id}/os-instance-actions`);
  assert.deepEqual(actions.body.instanceActions.map((a: Json) => a.action), ['reboot', 'start', 'stop', 'create']);
  const create = actions.body.instanceActions[3];
  const shown = await nova(t, token, '2.84').call('GET', `/servers/${id}/os-instance-actions/${create.request_id}`);
  assert.equal(shown.body.instanceAction.events.length, 2);
  assert.equal(shown.body.instanceAction.events[1].result, 'Success');

  const del = await c.call('DELETE', `/servers/${id}`);
  assert.equal(del.status, 204);
  for (let i = 0; i < 200; i++) {
    if ((await c.call('GET', `/servers/${id}`)).status === 404) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const gone = await c.call('GET', `/servers/${id}`);
  assert.deepEqual(gone.body, { itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
});

test('networks are required from 2.37; auto and none are accepted', async () => {
  const v = nova(t, token, '2.37');
  const missing = await v.call('POST', '/servers', { server: { name: 'n', imageRef: ids.imageId, flavorRef: '1' } });
  assert.equal(missing.status, 400);
  assert.match(missing.body.badRequest.message, /'networks' is a required property/);
  const none = await v.call('POST', '/servers', { server: { name: 'n0', imageRef: ids.imageId, flavorRef: '1', networks: 'none' } });
  assert.equal(none.status, 202);
  const s = await waitStatus(v, none.body.server.id, ['ACTIVE']);
  assert.deepEqual(s.addresses, {});
  const auto = await v.call('POST', '/servers', { server: { name: 'na', imageRef: ids.imageId, flavorRef: '1', networks: 'auto' } });
  const sa = await waitStatus(v, auto.body.server.id, ['ACTIVE']);
  assert.ok(sa.addresses.private);
  const old = await c.call('POST', '/servers', { server: { name: 'n', imageRef: ids.imageId, flavorRef: '1', networks: 'auto' } });
  assert.equal(old.status, 400);
});

test('multi-create with return_reservation_id, then filter by reservation and names', async () => {
  const r = await c.call('POST', '/servers', { server: { name: 'batch', imageRef: ids.imageId, flavorRef: '1', min_count: 2, max_count: 2, return_reservation_id: true, networks: [{ uuid: ids.networkId }] } });
  assert.equal(r.status, 202);
  assert.match(r.body.reservation_id, /^r-[0-9a-f]{8}$/);
  const list = await c.call('GET', '/servers?name=^batch-');
  assert.deepEqual(list.body.servers.map((s: Json) => s.name).sort(), ['batch-1', 'batch-2']);
});

test('keypairs over REST: generate (201 with private_key), show, list, delete (204)', async () => {
  const v = nova(t, token, '2.2');
  const gen = await v.call('POST', '/os-keypairs', { keypair: { name: 'k1' } });
  assert.equal(gen.status, 201);
  assert.match(gen.body.keypair.private_key, /PRIVATE KEY/);
  assert.equal(gen.body.keypair.type, 'ssh');
  const show = await v.call('GET', '/os-keypairs/k1');
  assert.equal(show.body.keypair.private_key, undefined);
  assert.equal(show.body.keypair.fingerprint, gen.body.keypair.fingerprint);
  const list = await v.call('GET', '/os-keypairs');
  assert.deepEqual(list.body.keypairs.map((k: Json) => k.keypair.name), ['k1']);
  const dup = await v.call('POST', '/os-keypairs', { keypair: { name: 'k1' } });
  assert.deepEqual(dup.body, { conflictingRequest: { code: 409, message: "Key pair 'k1' already exists." } });
  assert.equal((await v.call('DELETE', '/os-keypairs/k1')).status, 204);
  assert.equal((await c.call('POST', '/os-keypairs', { keypair: { name: 'k2' } })).status, 200);
});

test('quotas, limits, server groups, hypervisors, services and zones', async () => {
  const project = t.cp.identity.adminIds().projectId!;
  const q = await c.call('GET', `/os-quota-sets/${project}`);
  assert.equal(q.body.quota_set.id, project);
  assert.equal(q.body.quota_set.instances, 10);
  assert.equal(q.body.quota_set.injected_files, 5);
  const q57 = await nova(t, token, '2.57').call('GET', `/os-quota-sets/${project}`);
  assert.deepEqual(Object.keys(q57.body.quota_set).sort(), ['cores', 'id', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups']);
  const upd = await c.call('PUT', `/os-quota-sets/${project}`, { quota_set: { instances: 50, cores: 100 } });
  assert.equal(upd.status, 200);
  assert.equal(upd.body.quota_set.instances, 50);
  const defaults = await c.call('GET', `/os-quota-sets/${project}/defaults`);
  assert.equal(defaults.body.quota_set.instances, 10);
  const limits = await c.call('GET', '/limits');
  assert.equal(limits.body.limits.absolute.maxTotalInstances, 50);
  assert.ok(limits.body.limits.absolute.totalInstancesUsed >= 1);

  const g = await nova(t, token, '2.64').call('POST', '/os-server-groups', { server_group: { name: 'g', policy: 'anti-affinity' } });
  assert.equal(g.status, 200);
  assert.deepEqual(g.body.server_group.rules, {});
  const gOld = await c.call('GET', `/os-server-groups/${g.body.server_group.id}`);
  assert.deepEqual(gOld.body.server_group.policies, ['anti-affinity']);
  assert.equal((await c.call('DELETE', `/os-server-groups/${g.body.server_group.id}`)).status, 204);

  const hv = await c.call('GET', '/os-hypervisors/detail');
  assert.deepEqual(hv.body.hypervisors.map((h: Json) => [h.id, h.hypervisor_hostname, h.vcpus, h.memory_mb, h.local_gb]), [
    [1, 'demo-1', 16, 65536, 1000],
    [2, 'demo-2', 16, 65536, 1000],
    [3, 'demo-3', 16, 65536, 1000],
  ]);
  const stats = await c.call('GET', '/os-hypervisors/statistics');
  assert.equal(stats.body.hypervisor_statistics.count, 3);
  assert.equal(stats.body.hypervisor_statistics.vcpus, 48);
  const hv88 = await nova(t, token, '2.88').call('GET', '/os-hypervisors/detail');
  assert.match(hv88.body.hypervisors[0].id, /^[0-9a-f-]{36}$/);
  assert.equal('vcpus' in hv88.body.hypervisors[0], false);
  assert.equal((await nova(t, token, '2.88').call('GET', '/os-hypervisors/statistics')).status, 404);
  const one = await nova(t, token, '2.53').call('GET', `/os-hypervisors/${hv88.body.hypervisors[0].id}`);
  assert.equal(one.body.hypervisor.hypervisor_hostname, 'demo-1');

  const svc = await c.call('GET', '/os-services?binary=nova-compute');
  assert.deepEqual(svc.body.services.map((s: Json) => [s.host, s.status, s.state, s.zone]), [
    ['demo-1', 'enabled', 'up', 'nova'],
    ['demo-2', 'enabled', 'up', 'nova'],
    ['demo-3', 'enabled', 'up', 'nova'],
  ]);
  const az = await c.call('GET', '/os-availability-zone');
  assert.deepEqual(az.body, { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }] });
});

test('admin-only APIs refuse members with Nova’s policy message; other projects see 404', async () => {
  const admin = t.cp.identity.loginLocalAdmin();
  const project = t.cp.identity.createProject(admin, { name: 'other' });
  const user = await t.cp.identity.createUser(admin, { name: 'bob', password: 'bob-password-1' });
  t.cp.identity.assignRole(admin, { userId: user.id, projectId: project.id, roleId: t.cp.identity.roleByName('member')!.id });
  const bob = nova(t, await t.token('bob', 'bob-password-1', 'other'));
  const hv = await bob.call('GET', '/os-hypervisors');
  assert.deepEqual(hv.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-hypervisors:list to be performed." } });
  const mine = await c.call('POST', '/servers', { server: { name: 'private-vm', imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] } });
  const peek = await bob.call('GET', `/servers/${mine.body.server.id}`);
  assert.equal(peek.status, 404);
  assert.equal((await bob.call('DELETE', `/servers/${mine.body.server.id}`)).status, 404);
  const all = await c.call('GET', '/servers?all_tenants=1');
  assert.ok(all.body.servers.some((s: Json) => s.name === 'private-vm'));
  const bobAll = await bob.call('GET', '/servers?all_tenants=1');
  assert.deepEqual(bobAll.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed." } });
  // Without all_tenants, Nova ignores tenant_id: bob still sees only his project.
  assert.deepEqual((await bob.call('GET', `/servers?tenant_id=${t.cp.identity.adminIds().projectId}`)).body.servers, []);
  const s = await bob.call('GET', `/servers/detail`);
  assert.deepEqual(s.body.servers, []);
});

test('pagination: limit/marker with servers_links', async () => {
  const first = await c.call('GET', '/servers?limit=2');
  assert.equal(first.body.servers.length, 2);
  const next = new URL(first.body.servers_links[0].href);
  assert.equal(next.searchParams.get('marker'), first.body.servers[1].id);
  const second = await c.call('GET', `/servers?limit=2&marker=${first.body.servers[1].id}`);
  assert.ok(second.body.servers.every((s: Json) => !first.body.servers.some((f: Json) => f.id === s.id)));
  const bad = await c.call('GET', '/servers?marker=nope');
  assert.deepEqual(bad.body, { badRequest: { code: 400, message: 'marker [nope] not found' } });
});
