import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertGlanceError, glanceTestbed, type CallOptions } from './image-helpers';

const bed = glanceTestbed('metadef-proj');
const call = (method: string, path: string, opts: CallOptions = {}) => bed.call(method, path, opts);
const NS = '/image/v2/metadefs/namespaces';

test('metadef schemas carry the names Glance gives them', async () => {
  const expected: Record<string, string> = {
    namespace: 'namespace',
    namespaces: 'namespaces',
    object: 'object',
    objects: 'objects',
    property: 'property',
    properties: 'properties',
    resource_type: 'resource_type_association',
    resource_types: 'resource_type_associations',
    tag: 'tag',
    tags: 'tags',
  };
  for (const [path, name] of Object.entries(expected)) {
    const res = await call('GET', `/image/v2/schemas/metadefs/${path}`, { token: bed.member.token });
    assert.equal(res.status, 200, path);
    assert.equal(res.body.name, name);
  }
  assertGlanceError(await call('GET', '/image/v2/schemas/metadefs/constructor'), 404);
});

test('a member reads the seeded catalog the way Horizon does: by resource type, with prefixed property names', async () => {
  const list = await call('GET', `${NS}?resource_types=OS::Nova::Flavor&limit=1000`, { token: bed.member.token });
  assert.equal(list.status, 200);
  assert.equal(list.body.schema, '/v2/schemas/metadefs/namespaces');
  const names = list.body.namespaces.map((n: { namespace: string }) => n.namespace);
  assert.ok(names.includes('OS::Compute::VirtCPUTopology'));
  assert.ok(!names.includes('OS::OperatingSystem'));
  const topo = await call('GET', `${NS}/OS::Compute::VirtCPUTopology?resource_type=OS::Nova::Flavor`, { token: bed.member.token });
  assert.ok('hw:cpu_sockets' in topo.body.properties);
  assert.equal(topo.body.properties['hw:cpu_sockets'].type, 'integer');
  const types = await call('GET', '/image/v2/metadefs/resource_types', { token: bed.member.token });
  assert.ok(types.body.resource_types.some((r: { name: string }) => r.name === 'OS::Glance::Image'));
});

test('namespace lifecycle over HTTP: 201 with Location, 403 for members and protected deletes, 409, 404', async () => {
  const body = { namespace: 'rest-ns', display_name: 'REST', visibility: 'public', protected: true, resource_type_associations: [{ name: 'OS::Glance::Image' }] };
  assertGlanceError(await call('POST', NS, { token: bed.member.token, json: body }), 403);
  const created = await call('POST', NS, { json: body });
  assert.equal(created.status, 201, created.raw.toString());
  assert.equal(created.headers.get('location'), '/v2/metadefs/namespaces/rest-ns');
  assert.equal(created.body.schema, '/v2/schemas/metadefs/namespace');
  assertGlanceError(await call('POST', NS, { json: body }), 409);
  assertGlanceError(await call('POST', NS, { json: { ...body, namespace: 'other', self: '/x' } }), 403);
  assertGlanceError(await call('POST', NS, { json: { namespace: 'bad', visibility: 'shared' } }), 400);
  assertGlanceError(await call('POST', NS, { json: { namespace: 'bad', properties: { p: { type: 'string' } } } }), 400);
  assertGlanceError(await call('DELETE', `${NS}/rest-ns`), 403);

  const tags = await call('POST', `${NS}/rest-ns/tags`, { json: { tags: [{ name: 'a' }, { name: 'b' }] } });
  assert.equal(tags.status, 201);
  assert.deepEqual(tags.body.tags.map((t: { name: string }) => t.name), ['a', 'b']);
  await call('POST', `${NS}/rest-ns/tags`, { json: { tags: [{ name: 'c' }] }, headers: { 'x-openstack-append': 'True' } });
  assert.deepEqual((await call('GET', `${NS}/rest-ns/tags?sort_key=name&sort_dir=desc`)).body.tags.map((t: { name: string }) => t.name), ['c', 'b', 'a']);
  assert.equal((await call('POST', `${NS}/rest-ns/tags/single`)).status, 201);
  assertGlanceError(await call('DELETE', `${NS}/rest-ns/tags`), 403);

  const obj = await call('POST', `${NS}/rest-ns/objects`, { json: { name: 'thing', properties: { size: { title: 'Size', type: 'integer' } } } });
  assert.equal(obj.status, 201);
  assert.equal(obj.body.self, '/v2/metadefs/namespaces/rest-ns/objects/thing');
  const objects = await call('GET', `${NS}/rest-ns/objects`, { token: bed.member.token });
  assert.equal(objects.body.schema, 'v2/schemas/metadefs/objects');
  const prop = await call('POST', `${NS}/rest-ns/properties`, { json: { name: 'speed', title: 'Speed', type: 'string', enum: ['fast'] } });
  assert.equal(prop.status, 201);
  assert.deepEqual((await call('GET', `${NS}/rest-ns/properties/speed`)).body, { name: 'speed', title: 'Speed', type: 'string', enum: ['fast'] });

  const updated = await call('PUT', `${NS}/rest-ns`, { json: { namespace: 'rest-ns', visibility: 'private', protected: false } });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.visibility, 'private');
  assertGlanceError(await call('GET', `${NS}/rest-ns`, { token: bed.member.token }), 404);
  assert.equal((await call('DELETE', `${NS}/rest-ns/resource_types/OS::Glance::Image`)).status, 204);
  assert.equal((await call('DELETE', `${NS}/rest-ns`)).status, 204);
  assertGlanceError(await call('GET', `${NS}/rest-ns/objects/thing`), 404);
  assertGlanceError(await call('GET', `${NS}?limit=0`), 400);
  assertGlanceError(await call('GET', `${NS}?sort_dir=sideways`), 400);
});
