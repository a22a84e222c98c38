import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '../../main/core/errors';
import { makeEnv } from './identity-helpers';

const isCode = (code: string, msg?: RegExp) => (e: unknown) => e instanceof DeskError && e.code === code && (!msg || msg.test(e.message));
const BASE = 'http://10.1.2.3:5000';

test('catalog: DeskStack’s own services are built in; created ones join tokens, templated by project, filtered per project', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  const cat = id.catalogs;
  const nova = cat.listServices(admin, { type: 'compute' })[0];
  assert.equal(nova.builtin, true);
  assert.throws(() => cat.deleteService(admin, nova.id), isCode('Forbidden', /built in/));
  assert.throws(() => cat.createEndpoint(admin, { serviceId: nova.id, interface: 'public', url: 'http://x' }), isCode('Forbidden'));
  assert.equal(cat.listEndpoints(admin, BASE, { serviceId: nova.id, interface: 'public' })[0].url, `${BASE}/compute/v2.1`);

  const swift = cat.createService(admin, { type: 'object-store', name: 'swift' });
  const ep = cat.createEndpoint(admin, { serviceId: swift.id, interface: 'public', url: 'http://store:8080/v1/AUTH_$(project_id)s', regionId: 'RegionTwo' });
  assert.equal(cat.getRegion(admin, 'RegionTwo').id, 'RegionTwo', 'a region named by an endpoint is created');
  const p = id.createProject(admin, { name: 'cat' });
  const entry = id.catalog(BASE, p.id).find((c) => c.type === 'object-store');
  assert.equal(entry?.endpoints[0].url, `http://store:8080/v1/AUTH_${p.id}`);
  assert.equal(id.catalog(BASE, null).some((c) => c.type === 'object-store'), false, 'a templated endpoint needs a project');
  assert.throws(() => cat.deleteRegion(admin, 'RegionTwo'), isCode('Forbidden', /associated endpoints/));

  // OS-EP-FILTER: once a project has associations, its catalog shows only those endpoints.
  const group = id.endpointFilters.create(admin, { name: 'only-compute', filters: { service_id: nova.id } });
  id.endpointFilters.linkGroup(admin, group.id, p.id, true);
  assert.deepEqual(id.catalog(BASE, p.id).map((c) => c.type), ['compute']);
  id.endpointFilters.linkEndpoint(admin, BASE, ep.id, p.id, true);
  assert.deepEqual(id.catalog(BASE, p.id).map((c) => c.type).sort(), ['compute', 'object-store']);
  assert.equal(id.catalog(BASE, id.adminIds().projectId).length >= 5, true, 'other projects see everything');
  assert.throws(() => id.endpointFilters.create(admin, { name: 'bad', filters: { colour: 'red' } }), isCode('BadRequest'));

  cat.deleteService(admin, swift.id);
  assert.throws(() => cat.getEndpoint(admin, BASE, ep.id), isCode('NotFound'), 'endpoints go with their service');
  cat.deleteRegion(admin, 'RegionTwo');
  assert.throws(() => cat.deleteRegion(admin, 'RegionOne'), isCode('Forbidden'));
  const parent = cat.createRegion(admin, { id: 'north' });
  cat.createRegion(admin, { id: 'north-1', parentRegionId: parent.id });
  assert.throws(() => cat.updateRegion(admin, 'north', { parentRegionId: 'north-1' }), isCode('BadRequest', /cycle/));
  assert.throws(() => cat.createRegion(admin, { id: 'north' }), isCode('Conflict'));
  cat.deleteRegion(admin, 'north');
  assert.deepEqual(cat.listRegions(admin).map((r) => r.id), ['RegionOne'], 'child regions go with their parent');
  env.close();
});

test('credentials: blobs sealed at rest under a key file of their own; EC2 keys found by access', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  const p = id.createProject(admin, { name: 'ec2' });
  const blob = JSON.stringify({ access: 'AKIA-visible', secret: 'very-secret-value' });
  const c = id.credentials.create(admin, { userId: admin.userId, projectId: p.id, type: 'ec2', blob });
  const row = env.db.prepare('SELECT sealed_blob FROM credentials WHERE id = ?').pluck().get(c.id) as string;
  assert.ok(!row.includes('very-secret-value') && !row.includes('AKIA'));
  assert.equal(id.credentials.get(admin, c.id).blob, blob);
  const keyFile = join(env.dir, 'credential.key');
  assert.ok(existsSync(keyFile));
  assert.equal(statSync(keyFile).mode & 0o077, 0, 'the key file is private');
  assert.equal(Buffer.from(readFileSync(keyFile, 'utf8'), 'base64').length, 32);
  assert.throws(() => id.credentials.create(admin, { userId: admin.userId, type: 'ec2', blob }), isCode('BadRequest', /project/));
  assert.throws(() => id.credentials.create(admin, { userId: admin.userId, projectId: p.id, type: 'ec2', blob: 'not json' }), isCode('BadRequest'));

  assert.throws(() => id.credentials.createEc2(admin, admin.userId, p.id), isCode('Forbidden', /no role/));
  const ec2 = id.credentials.createEc2(admin, admin.userId, id.adminIds().projectId!);
  assert.deepEqual(id.credentials.getEc2(admin, admin.userId, ec2.access), ec2);
  assert.equal(id.credentials.listEc2(admin, admin.userId).length, 2);
  id.credentials.deleteEc2(admin, admin.userId, ec2.access);
  assert.throws(() => id.credentials.getEc2(admin, admin.userId, ec2.access), isCode('NotFound'));
  env.close();
});

test('domain configuration: only identity and ldap options; sensitive ones are never shown; parts can be read and removed', async () => {
  const env = await makeEnv();
  const id = env.identity;
  const admin = id.loginLocalAdmin();
  const d = id.domains.create(admin, { name: 'ldapish' });
  const cfg = id.domainConfigs;
  assert.throws(() => cfg.get(admin, d.id), isCode('NotFound'));
  assert.throws(() => cfg.replace(admin, d.id, { nova: { x: 1 } }), isCode('Forbidden'));
  assert.throws(() => cfg.replace(admin, d.id, { ldap: { not_an_option: 1 } }), isCode('Forbidden'));
  const made = cfg.replace(admin, d.id, { identity: { driver: 'ldap' }, ldap: { url: 'ldap://x', password: 'hunter2' } });
  assert.deepEqual(made, { config: { identity: { driver: 'ldap' }, ldap: { url: 'ldap://x' } }, created: true });
  assert.equal(cfg.replace(admin, d.id, { identity: { driver: 'ldap' } }).created, false);
  cfg.update(admin, d.id, { ldap: { url: 'ldap://y' } });
  assert.deepEqual(cfg.get(admin, d.id, 'ldap', 'url'), { url: 'ldap://y' });
  cfg.delete(admin, d.id, 'ldap', 'url');
  assert.throws(() => cfg.get(admin, d.id, 'ldap', 'url'), isCode('NotFound'));
  assert.equal((cfg.defaults(admin, 'identity', 'driver') as Record<string, unknown>).driver, 'sql');
  cfg.delete(admin, d.id);
  assert.throws(() => cfg.get(admin, d.id), isCode('NotFound'));
  env.close();
});
