// POST /servers honours or refuses everything a client sends: hostname, tags, access IPs, security
// groups and the availability_zone host forms, each shown back as Nova shows it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { memberOf, startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds, nova, waitStatus, type NovaClient } from './compute-helpers';

let t: TestServer;
let admin: NovaClient;
let member: NovaClient;
let ids: { imageId: string; networkId: string };
let base: Record<string, unknown>;

before(async () => {
  t = await startTestServer();
  admin = nova(t, await t.token(), '2.90');
  member = nova(t, (await memberOf(t, 'fields')).token, '2.90');
  ids = demoIds(t);
  base = { imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] };
});
after(async () => t?.close());

test('hostname (2.90) is stored, shown to members, changed by update, and refused for several servers', async () => {
  const r = await member.call('POST', '/servers', { server: { ...base, name: 'Web Server', hostname: 'web-01' } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const s = await waitStatus(member, r.body.server.id, ['ACTIVE']);
  assert.equal(s['OS-EXT-SRV-ATTR:hostname'], 'web-01');
  const renamed = await member.call('PUT', `/servers/${s.id}`, { server: { name: 'other', hostname: 'web-02' } });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.server['OS-EXT-SRV-ATTR:hostname'], 'web-02');
  assert.equal(renamed.body.server.name, 'other');

  const derived = await member.call('POST', '/servers', { server: { ...base, name: 'My_Box.example' } });
  const d = await waitStatus(member, derived.body.server.id, ['ACTIVE']);
  assert.equal(d['OS-EXT-SRV-ATTR:hostname'], 'my-box-example');

  const many = await member.call('POST', '/servers', { server: { ...base, name: 'x', hostname: 'one', max_count: 2 } });
  assert.equal(many.status, 400);
  assert.equal(many.body.badRequest.message, 'Unable to allocate a single hostname to multiple instances');
  const bad = await member.call('POST', '/servers', { server: { ...base, name: 'x', hostname: '-bad-' } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.badRequest.message, /^Invalid input for field\/attribute hostname\. Value: -bad-\. '-bad-' does not match/);
  const old = await nova(t, await t.token(), '2.89').call('POST', '/servers', { server: { ...base, name: 'x', hostname: 'h' } });
  assert.equal(old.status, 400);
  assert.match(old.body.badRequest.message, /Additional properties are not allowed \('hostname' was unexpected\)/);
});

test('access IPs are stored, shown and updated; malformed ones get Nova’s format error', async () => {
  const r = await member.call('POST', '/servers', { server: { ...base, name: 'ips', accessIPv4: '10.1.2.3', accessIPv6: '2001:DB8:0:0:0:0:0:7' } });
  assert.equal(r.status, 202);
  const s = await waitStatus(member, r.body.server.id, ['ACTIVE']);
  assert.equal(s.accessIPv4, '10.1.2.3');
  assert.equal(s.accessIPv6, '2001:db8::7');
  const u = await member.call('PUT', `/servers/${s.id}`, { server: { accessIPv4: '192.0.2.9' } });
  assert.equal(u.body.server.accessIPv4, '192.0.2.9');
  assert.equal(u.body.server.accessIPv6, '2001:db8::7');

  const bad4 = await member.call('POST', '/servers', { server: { ...base, name: 'x', accessIPv4: '1.1.1.1.1.1' } });
  assert.equal(bad4.status, 400);
  assert.equal(bad4.body.badRequest.message, "Invalid input for field/attribute accessIPv4. Value: 1.1.1.1.1.1. '1.1.1.1.1.1' is not a 'ipv4'");
  const bad6 = await member.call('PUT', `/servers/${s.id}`, { server: { accessIPv6: '2.2.2.2' } });
  assert.equal(bad6.status, 400);
  assert.equal(bad6.body.badRequest.message, "Invalid input for field/attribute accessIPv6. Value: 2.2.2.2. '2.2.2.2' is not a 'ipv6'");
});

test('security groups: the project’s default is accepted and shown; any other name is refused', async () => {
  const r = await member.call('POST', '/servers', { server: { ...base, name: 'sg', security_groups: [{ name: 'default' }, { name: 'default' }] } });
  assert.equal(r.status, 202);
  assert.deepEqual(r.body.server.security_groups, [{ name: 'default' }, { name: 'default' }]);
  const s = await waitStatus(member, r.body.server.id, ['ACTIVE']);
  assert.deepEqual(s.security_groups, [{ name: 'default' }]);
  const bad = await member.call('POST', '/servers', { server: { ...base, name: 'x', security_groups: [{ name: 'web' }] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.badRequest.message, 'Security group web not found.');
  const diskAuto = await member.call('POST', '/servers', { server: { ...base, name: 'auto', 'OS-DCF:diskConfig': 'AUTO' } });
  assert.equal(diskAuto.body.server['OS-DCF:diskConfig'], 'AUTO');
  assert.equal((await waitStatus(member, diskAuto.body.server.id, ['ACTIVE']))['OS-DCF:diskConfig'], 'AUTO');
  const files = await nova(t, await t.token(), '2.56').call('POST', '/servers', { server: { ...base, name: 'x', personality: [{ path: '/etc/motd', contents: 'aGk=' }] } });
  assert.equal(files.status, 400);
});

test('tags: set at create (2.52), managed through /tags (2.26), and filtered on in lists', async () => {
  const a = await member.call('POST', '/servers', { server: { ...base, name: 'ta', tags: ['web', 'prod'] } });
  const b = await member.call('POST', '/servers', { server: { ...base, name: 'tb', tags: ['web'] } });
  const c = await member.call('POST', '/servers', { server: { ...base, name: 'tc' } });
  const [sa, sb, sc] = await Promise.all([a, b, c].map((r) => waitStatus(member, r.body.server.id, ['ACTIVE'])));
  assert.deepEqual(sa.tags, ['prod', 'web']);

  assert.deepEqual((await member.call('GET', `/servers/${sc.id}/tags`)).body, { tags: [] });
  const add = await member.call('PUT', `/servers/${sc.id}/tags/db`);
  assert.equal(add.status, 201);
  assert.match(add.headers.get('location') ?? '', new RegExp(`/servers/${sc.id}/tags/db$`));
  assert.equal((await member.call('PUT', `/servers/${sc.id}/tags/db`)).status, 204);
  assert.equal((await member.call('GET', `/servers/${sc.id}/tags/db`)).status, 204);
  const missing = await member.call('GET', `/servers/${sc.id}/tags/nope`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.itemNotFound.message, `Server ${sc.id} has no tag 'nope'`);
  assert.equal((await member.call('PUT', `/servers/${sc.id}/tags/a,b`)).status, 400);

  const names = async (q: string) => ((await member.call('GET', `/servers?${q}`)).body.servers as Array<{ name: string }>).map((s) => s.name).sort();
  assert.deepEqual(await names('tags=web,prod'), ['ta']);
  assert.deepEqual(await names('tags-any=prod,db'), ['ta', 'tc']);
  assert.deepEqual(await names('not-tags=web,prod&name=^t'), ['tb', 'tc']);
  assert.deepEqual(await names('not-tags-any=web&name=^t'), ['tc']);

  assert.deepEqual((await member.call('PUT', `/servers/${sb.id}/tags`, { tags: ['x', 'y', 'x'] })).body, { tags: ['x', 'y'] });
  assert.equal((await member.call('PUT', `/servers/${sb.id}/tags`, { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })).status, 400);
  assert.equal((await member.call('DELETE', `/servers/${sb.id}/tags/x`)).status, 204);
  assert.equal((await member.call('DELETE', `/servers/${sb.id}/tags/x`)).status, 404);
  assert.equal((await member.call('DELETE', `/servers/${sb.id}/tags`)).status, 204);
  assert.deepEqual((await member.call('GET', `/servers/${sb.id}`)).body.server.tags, []);
  assert.equal((await nova(t, await t.token(), '2.25').call('GET', `/servers/${sb.id}/tags`)).status, 404);
});

test('availability_zone: one parser; the host forms are admin-only and pin the host', async () => {
  const host = t.cp.hosts.list()[1];
  const zone = host.availabilityZone;
  for (const az of [`:${host.name}`, `${zone}:${host.name}`, `${zone}:${host.name}:${host.name}`, `${zone}::${host.name}`]) {
    const refused = await member.call('POST', '/servers', { server: { ...base, name: 'x', availability_zone: az } });
    assert.equal(refused.status, 403, az);
    assert.equal(refused.body.forbidden.message, "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.");
    const r = await admin.call('POST', '/servers', { server: { ...base, name: 'pinned', availability_zone: az } });
    assert.equal(r.status, 202, `${az}: ${JSON.stringify(r.body)}`);
    const s = await waitStatus(admin, r.body.server.id, ['ACTIVE']);
    assert.equal(s['OS-EXT-SRV-ATTR:host'], host.name, az);
    await admin.call('DELETE', `/servers/${s.id}`);
  }
  const requested = await admin.call('POST', '/servers', { server: { ...base, name: 'dest', host: host.name } });
  assert.equal((await waitStatus(admin, requested.body.server.id, ['ACTIVE']))['OS-EXT-SRV-ATTR:host'], host.name);
  const both = await admin.call('POST', '/servers', { server: { ...base, name: 'x', host: host.name, availability_zone: `${zone}:${host.name}` } });
  assert.equal(both.status, 400);
  const memberDest = await member.call('POST', '/servers', { server: { ...base, name: 'x', host: host.name } });
  assert.equal(memberDest.status, 403);
  const unknown = await admin.call('POST', '/servers', { server: { ...base, name: 'x', availability_zone: `${zone}:no-such-host` } });
  assert.equal(unknown.body.badRequest.message, 'Compute host no-such-host could not be found.');
  const tooMany = await admin.call('POST', '/servers', { server: { ...base, name: 'x', availability_zone: 'a:b:c:d' } });
  assert.equal(tooMany.body.badRequest.message, 'Invalid input received: Unable to parse availability_zone');
  const zoneOnly = await member.call('POST', '/servers', { server: { ...base, name: 'z', availability_zone: zone } });
  assert.equal(zoneOnly.status, 202);
  const noZone = await member.call('POST', '/servers', { server: { ...base, name: 'x', availability_zone: 'mars' } });
  assert.equal(noZone.body.badRequest.message, 'The requested availability zone is not available');
});
