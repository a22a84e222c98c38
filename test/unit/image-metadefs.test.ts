import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageService } from '../../main/image/image-service';
import { A, ADMIN, rejectsWith, setup } from './image-helpers';

test('a fresh data folder has the libvirt catalog: public, protected namespaces for images and flavors', (t) => {
  const s = setup(t);
  const md = s.images.metadefs;
  const names = md.list(A, { limit: 1000 }).namespaces.map((n) => n.namespace);
  for (const ns of ['OS::Compute::LibvirtImage', 'OS::Compute::Watchdog', 'OS::Compute::VirtCPUTopology', 'OS::OperatingSystem']) assert.ok(names.includes(ns), ns);
  const types = md.listResourceTypes(A).map((r) => r.name);
  for (const rt of ['OS::Glance::Image', 'OS::Nova::Flavor', 'OS::Cinder::Volume']) assert.ok(types.includes(rt), rt);

  const watchdog = md.get(A, 'OS::Compute::Watchdog');
  assert.equal(watchdog.visibility, 'public');
  assert.equal(watchdog.protected, true);
  assert.deepEqual(Object.keys(watchdog.properties!), ['watchdog_action']);
  // Horizon asks with resource_type and gets the names it must set on that resource.
  assert.deepEqual(Object.keys(md.get(A, 'OS::Compute::Watchdog', 'OS::Glance::Image').properties!), ['hw_watchdog_action']);
  assert.deepEqual(Object.keys(md.get(A, 'OS::Compute::Watchdog', 'OS::Nova::Flavor').properties!), ['hw:watchdog_action']);
  const forImages = md.list(A, { resource_types: ['OS::Glance::Image'], limit: 1000 }).namespaces.map((n) => n.namespace);
  assert.ok(forImages.includes('OS::Compute::LibvirtImage') && !forImages.includes('OS::Compute::RandomNumberGenerator'));
  assert.equal(md.get(A, 'OS::Compute::LibvirtImage').properties!.hw_disk_bus.enum!.includes('virtio'), true);
});

test('the catalog is seeded once: an admin who deletes a namespace does not get it back on restart', (t) => {
  const s = setup(t);
  s.images.metadefs.update(ADMIN, 'OS::Compute::Watchdog', { namespace: 'OS::Compute::Watchdog', visibility: 'public', protected: false });
  s.images.metadefs.delete(ADMIN, 'OS::Compute::Watchdog');
  const again = new ImageService(s.db, s.bus, s.config);
  assert.throws(() => again.metadefs.get(ADMIN, 'OS::Compute::Watchdog'), { code: 'NotFound' });
});

test('namespaces: admins write, others read public and their own; protected ones cannot be deleted; private ones are 404 to others', async (t) => {
  const s = setup(t);
  const md = s.images.metadefs;
  await rejectsWith(() => md.create(A, { namespace: 'mine' }), 'Forbidden');
  const created = md.create(ADMIN, {
    namespace: 'test-ns',
    display_name: 'Test',
    visibility: 'private',
    protected: true,
    resource_type_associations: [{ name: 'OS::Glance::Image', prefix: 'x_' }],
    properties: { speed: { title: 'Speed', type: 'integer', minimum: 1 } },
    objects: [{ name: 'obj', properties: { a: { title: 'A', type: 'string' } }, required: ['a'] }],
    tags: [{ name: 't1' }],
  });
  assert.equal(created.owner, 'proj-admin');
  assert.deepEqual(created.properties, { speed: { name: 'speed', title: 'Speed', type: 'integer', minimum: 1 } });
  assert.equal(created.objects![0].self, '/v2/metadefs/namespaces/test-ns/objects/obj');
  assert.deepEqual(created.tags, [{ name: 't1' }]);
  assert.equal(created.self, '/v2/metadefs/namespaces/test-ns');
  await rejectsWith(() => md.create(ADMIN, { namespace: 'test-ns' }), 'Conflict');
  await rejectsWith(() => md.get(A, 'test-ns'), 'NotFound');
  assert.ok(!md.list(A, { limit: 1000 }).namespaces.some((n) => n.namespace === 'test-ns'));

  await rejectsWith(() => md.delete(ADMIN, 'test-ns'), 'Forbidden');
  await rejectsWith(() => md.contents.deleteObject(ADMIN, 'test-ns', 'obj'), 'Forbidden');
  const renamed = md.update(ADMIN, 'test-ns', { namespace: 'renamed-ns', visibility: 'public', protected: false });
  assert.equal(renamed.namespace, 'renamed-ns');
  assert.equal(renamed.protected, false);
  assert.equal(md.get(A, 'renamed-ns').objects![0].self, '/v2/metadefs/namespaces/renamed-ns/objects/obj', 'contents follow the rename');
  await rejectsWith(() => md.delete(A, 'renamed-ns'), 'Forbidden');
  md.delete(ADMIN, 'renamed-ns');
  await rejectsWith(() => md.get(ADMIN, 'renamed-ns'), 'NotFound');
  assert.equal(s.db.prepare("SELECT count(*) FROM metadef_objects WHERE name = 'obj'").pluck().get(), 0);
});

test('a failed create leaves nothing behind (duplicate tags roll the whole namespace back)', async (t) => {
  const s = setup(t);
  await rejectsWith(() => s.images.metadefs.create(ADMIN, { namespace: 'half', tags: [{ name: 'x' }, { name: 'x' }] }), 'Conflict');
  await rejectsWith(() => s.images.metadefs.get(ADMIN, 'half'), 'NotFound');
});

test('list pages with a marker in the requested order', (t) => {
  const s = setup(t);
  const md = s.images.metadefs;
  for (const n of ['p-a', 'p-b', 'p-c', 'p-d']) md.create(ADMIN, { namespace: n, visibility: 'public' });
  const seen: string[] = [];
  let marker: string | undefined;
  for (let guard = 0; guard < 10; guard++) {
    const page = md.list(A, { limit: 3, marker, sort_key: 'namespace', sort_dir: 'asc' });
    seen.push(...page.namespaces.map((n) => n.namespace));
    if (!page.nextMarker) break;
    marker = page.nextMarker;
  }
  const all = seen.filter((n) => n.startsWith('p-'));
  assert.deepEqual(all, ['p-a', 'p-b', 'p-c', 'p-d']);
  assert.equal(new Set(seen).size, seen.length, 'no namespace on two pages');
});

test('objects, properties, tags and resource type associations: create, show, rename, delete', async (t) => {
  const s = setup(t);
  const md = s.images.metadefs;
  const c = md.contents;
  md.create(ADMIN, { namespace: 'box', visibility: 'public' });

  c.createObject(ADMIN, 'box', { name: 'o1', description: 'first' });
  await rejectsWith(() => c.createObject(ADMIN, 'box', { name: 'o1' }), 'Conflict');
  assert.equal(c.updateObject(ADMIN, 'box', 'o1', { name: 'o2' }).name, 'o2');
  assert.equal(c.getObject(A, 'box', 'o2').description, undefined, 'PUT replaces the whole object');
  await rejectsWith(() => c.getObject(A, 'box', 'o1'), 'NotFound');
  c.deleteObject(ADMIN, 'box', 'o2');
  assert.deepEqual(c.listObjects(A, 'box'), []);

  assert.equal(c.createProperty(ADMIN, 'box', 'OS::Glance::Image', { title: 'p', type: 'string', enum: ['kvm', 'qemu'] }).title, 'p');
  assert.equal(c.updateProperty(ADMIN, 'box', 'OS::Glance::Image', 'OS::Glance::Image', { title: 'q', type: 'string' }).title, 'q');
  assert.deepEqual(Object.keys(c.listProperties(A, 'box')), ['OS::Glance::Image']);
  c.deleteProperty(ADMIN, 'box', 'OS::Glance::Image');
  await rejectsWith(() => c.getProperty(A, 'box', 'OS::Glance::Image'), 'NotFound');

  c.createTags(ADMIN, 'box', ['a', 'b'], false);
  c.createTags(ADMIN, 'box', ['c'], true);
  assert.deepEqual(c.listTags(A, 'box', { sort_key: 'name' }).map((x) => x.name), ['a', 'b', 'c']);
  c.createTags(ADMIN, 'box', ['z'], false);
  assert.deepEqual(c.listTags(A, 'box').map((x) => x.name), ['z'], 'without append the tags are replaced');
  c.createTag(ADMIN, 'box', 'y');
  assert.equal(c.renameTag(ADMIN, 'box', 'y', 'w').name, 'w');
  await rejectsWith(() => c.renameTag(ADMIN, 'box', 'w', 'z'), 'Conflict');
  c.clear(ADMIN, 'box', 'tags');
  assert.deepEqual(c.listTags(A, 'box'), []);
  await rejectsWith(() => c.createTag(A, 'box', 'nope'), 'Forbidden');

  assert.equal(md.associate(ADMIN, 'box', { name: 'OS::Custom::Thing', prefix: 'thing_' }).prefix, 'thing_');
  assert.ok(md.listResourceTypes(A).some((r) => r.name === 'OS::Custom::Thing'), 'a new resource type is created on first use');
  await rejectsWith(() => md.associate(ADMIN, 'box', { name: 'OS::Custom::Thing' }), 'Conflict');
  md.dissociate(ADMIN, 'box', 'OS::Custom::Thing');
  assert.deepEqual(md.listAssociations(A, 'box'), []);
  await rejectsWith(() => md.dissociate(ADMIN, 'box', 'OS::Custom::Thing'), 'NotFound');
});
