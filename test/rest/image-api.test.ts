import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { memberOf } from '../helpers/test-server';
import { assertGlanceError, glanceTestbed, type CallOptions } from './image-helpers';

const bed = glanceTestbed('img-proj');
const call = (method: string, path: string, opts: CallOptions = {}) => bed.call(method, path, opts);

const PATCH = 'application/openstack-images-v2.1-json-patch';
const GLANCE_FIELDS = ['checksum', 'container_format', 'created_at', 'disk_format', 'file', 'id', 'min_disk', 'min_ram', 'name', 'os_hash_algo', 'os_hash_value', 'os_hidden', 'owner', 'protected', 'schema', 'self', 'size', 'status', 'tags', 'updated_at', 'virtual_size', 'visibility'];


test('version discovery: GET /image/ and /image answer 300 with v2.9 CURRENT', async () => {
  for (const path of ['/image/', '/image']) {
    const res = await call('GET', path, { token: null });
    assert.equal(res.status, 300);
    assert.deepEqual(res.body.versions[0], { id: 'v2.9', status: 'CURRENT', links: [{ rel: 'self', href: `${bed.srv.url}/image/v2/` }] });
    assert.ok(res.body.versions.some((v: { id: string; status: string }) => v.id === 'v2.0' && v.status === 'SUPPORTED'));
  }
});

test('requests without a valid token get 401', async () => {
  assertGlanceError(await call('GET', '/image/v2/images', { token: null }), 401);
  assertGlanceError(await call('GET', '/image/v2/images', { token: 'bogus' }), 401);
});

test('create, upload, show, download and delete an image with Glance fields', async () => {
  const created = await call('POST', '/image/v2/images', { json: { name: 'rest-img', disk_format: 'raw', container_format: 'bare', min_ram: 32, tags: ['t1'], hw_disk_bus: 'virtio' } });
  assert.equal(created.status, 201);
  const img = created.body;
  assert.equal(created.headers.get('location'), `${bed.srv.url}/image/v2/images/${img.id}`);
  assert.deepEqual(Object.keys(img).filter((k) => k !== 'hw_disk_bus').sort(), GLANCE_FIELDS);
  assert.equal(img.hw_disk_bus, 'virtio', 'custom properties are flattened');
  assert.equal(img.status, 'queued');
  assert.equal(img.visibility, 'shared');
  assert.equal(img.size, null);
  assert.equal(img.self, `/v2/images/${img.id}`);
  assert.equal(img.file, `/v2/images/${img.id}/file`);
  assert.equal(img.schema, '/v2/schemas/image');

  const empty = await call('GET', `/image/v2/images/${img.id}/file`);
  assert.equal(empty.status, 204);

  const bytes = Buffer.alloc(300_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
  assertGlanceError(await call('PUT', `/image/v2/images/${img.id}/file`, { body: bytes, type: 'application/json' }), 415);
  const put = await call('PUT', `/image/v2/images/${img.id}/file`, { body: bytes });
  assert.equal(put.status, 204);
  assert.equal(put.raw.length, 0);

  const shown = (await call('GET', `/image/v2/images/${img.id}`)).body;
  assert.equal(shown.status, 'active');
  assert.equal(shown.size, bytes.length);
  assert.equal(shown.virtual_size, bytes.length);
  assert.equal(shown.checksum, createHash('md5').update(bytes).digest('hex'));
  assert.equal(shown.os_hash_algo, 'sha256');
  assert.equal(shown.os_hash_value, createHash('sha256').update(bytes).digest('hex'));

  const dl = await call('GET', `/image/v2/images/${img.id}/file`);
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-type'), 'application/octet-stream');
  assert.equal(dl.headers.get('content-md5'), shown.checksum);
  assert.deepEqual(dl.raw, bytes);

  assertGlanceError(await call('PUT', `/image/v2/images/${img.id}/file`, { body: Buffer.from('again') }), 409);

  assert.equal((await call('DELETE', `/image/v2/images/${img.id}`)).status, 204);
  assertGlanceError(await call('GET', `/image/v2/images/${img.id}`), 404);
  assert.ok(!existsSync(join(bed.srv.dataDir, 'images', img.id)));
});

test('PATCH takes Glance json-patch only, with Glance status codes', async () => {
  const img = (await call('POST', '/image/v2/images', { json: { name: 'patch-me', os_distro: 'cirros' } })).body;
  const ok = await call('PATCH', `/image/v2/images/${img.id}`, {
    json: [
      { op: 'replace', path: '/name', value: 'patched' },
      { op: 'add', path: '/tags', value: ['a', 'b'] },
      { op: 'replace', path: '/os_distro', value: 'ubuntu' },
      { op: 'add', path: '/hw_rng_model', value: 'virtio' },
    ],
    type: PATCH,
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.name, 'patched');
  assert.deepEqual(ok.body.tags, ['a', 'b']);
  assert.equal(ok.body.os_distro, 'ubuntu');
  assert.equal(ok.body.hw_rng_model, 'virtio');
  const removed = await call('PATCH', `/image/v2/images/${img.id}`, { json: [{ op: 'remove', path: '/hw_rng_model' }], type: PATCH });
  assert.equal(removed.body.hw_rng_model, undefined);

  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { json: [{ op: 'replace', path: '/name', value: 'x' }] }), 415);
  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { json: [{ op: 'replace', path: '/status', value: 'active' }], type: PATCH }), 403);
  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { json: [{ op: 'replace', path: '/missing', value: 'x' }], type: PATCH }), 409);
  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { json: [{ op: 'move', path: '/name', from: '/x' }], type: PATCH }), 400);
  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { json: { op: 'replace' }, type: PATCH }), 400);
  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { body: '[{"op":', type: PATCH }), 400);
  assertGlanceError(await call('PATCH', `/image/v2/images/no-such-image`, { json: [], type: PATCH }), 404);
});

test('PATCH also takes the older v2.0 json-patch form, where each operation is keyed by its name', async () => {
  const v20 = 'application/openstack-images-v2.0-json-patch';
  const img = (await call('POST', '/image/v2/images', { json: { name: 'old-style', hw_vif_model: 'e1000' } })).body;
  const ok = await call('PATCH', `/image/v2/images/${img.id}`, {
    json: [{ replace: '/name', value: 'renamed' }, { add: '/hw_rng_model', value: 'virtio' }, { remove: '/hw_vif_model' }],
    type: v20,
  });
  assert.equal(ok.status, 200, ok.raw.toString());
  assert.equal(ok.body.name, 'renamed');
  assert.equal(ok.body.hw_rng_model, 'virtio');
  assert.equal(ok.body.hw_vif_model, undefined);
  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { json: [{ op: 'replace', path: '/name', value: 'x' }], type: v20 }), 400);
  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { json: [{ add: '/a', replace: '/name', value: 'x' }], type: v20 }), 400);
  assertGlanceError(await call('PATCH', `/image/v2/images/${img.id}`, { json: [{ replace: '/status', value: 'active' }], type: v20 }), 403);
});

test('bad create bodies get 4xx Glance error bodies; hostile names are stored as data', async () => {
  assertGlanceError(await call('POST', '/image/v2/images', { body: '{"name": ', type: 'application/json' }), 400);
  assertGlanceError(await call('POST', '/image/v2/images', { json: [1, 2] }), 400);
  assertGlanceError(await call('POST', '/image/v2/images', { json: { name: 'n'.repeat(10_000) } }), 400);
  assertGlanceError(await call('POST', '/image/v2/images', { json: { disk_format: 'exe' } }), 400);
  assertGlanceError(await call('POST', '/image/v2/images', { json: { min_ram: 'lots' } }), 400);
  assertGlanceError(await call('POST', '/image/v2/images', { json: { custom: 12 } }), 400);
  assertGlanceError(await call('POST', '/image/v2/images', { json: { status: 'active' } }), 403);
  assertGlanceError(await call('POST', '/image/v2/images', { json: { os_glance_import_task: 'x' } }), 403);
  assertGlanceError(await call('POST', '/image/v2/images', { json: { id: '../../etc/passwd' } }), 400);
  assertGlanceError(await call('POST', '/image/v2/images', { body: 'x'.repeat(2 * 1024 * 1024), type: 'application/json' }), 413);
  for (const name of ['$(touch /tmp/x)', `a'b"c`, '../../etc']) {
    const res = await call('POST', '/image/v2/images', { json: { name } });
    assert.equal(res.status, 201);
    assert.equal(res.body.name, name);
    const listed = await call('GET', `/image/v2/images?name=${encodeURIComponent(name)}`);
    assert.deepEqual(listed.body.images.map((i: { id: string }) => i.id), [res.body.id]);
  }
  assertGlanceError(await call('GET', '/image/v2/images/..%2F..%2Fetc'), 404);
  assertGlanceError(await call('GET', '/image/v2/images?limit=-1'), 400);
  assertGlanceError(await call('GET', '/image/v2/images?sort_key=password'), 400);
  assertGlanceError(await call('GET', '/image/v2/images?marker=nope'), 400);
  assertGlanceError(await call('GET', '/image/v2/images?visibility=everyone'), 400);
});

test('list: filters, sort and next links that walk every page', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await call('POST', '/image/v2/images', { json: { name: `page-${i}`, disk_format: 'qcow2', container_format: 'bare', tags: ['paged'] } });
    ids.push(res.body.id);
  }
  const first = await call('GET', '/image/v2/images?tag=paged&limit=2&sort=name:asc');
  assert.equal(first.status, 200);
  assert.equal(first.body.schema, '/v2/schemas/images');
  assert.equal(first.body.first, '/v2/images?tag=paged&limit=2&sort=name%3Aasc');
  const names: string[] = first.body.images.map((i: { name: string }) => i.name);
  let next: string | undefined = first.body.next;
  for (let guard = 0; next && guard < 10; guard++) {
    assert.match(next, /^\/v2\/images\?/);
    const page = await call('GET', `/image${next}`);
    names.push(...page.body.images.map((i: { name: string }) => i.name));
    next = page.body.next;
  }
  assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  const byName = await call('GET', '/image/v2/images?name=page-3');
  assert.deepEqual(byName.body.images.map((i: { id: string }) => i.id), [ids[3]]);
  const queued = await call('GET', '/image/v2/images?status=queued&disk_format=qcow2&tag=paged');
  assert.equal(queued.body.images.length, 5);
  const active = await call('GET', '/image/v2/images?status=active');
  assert.ok(active.body.images.some((i: { name: string }) => i.name === 'cirros-0.3.4-x86_64-uec'));
  assertGlanceError(await call('GET', '/image/v2/images?sort=name:asc&sort_key=name'), 400);

  const cirros = active.body.images.find((i: { name: string }) => i.name === 'cirros-0.3.4-x86_64-uec');
  const bySize = await call('GET', `/image/v2/images?size=${cirros.size}&checksum=${cirros.checksum}`);
  assert.deepEqual(bySize.body.images.map((i: { id: string }) => i.id), [cirros.id]);
  assert.equal((await call('GET', `/image/v2/images?size=${cirros.size + 1}&name=${cirros.name}`)).body.images.length, 0);
  const since = await call('GET', `/image/v2/images?tag=paged&created_at=gte:${encodeURIComponent(first.body.images[0].created_at)}`);
  assert.equal(since.body.images.length, 5);
  assert.equal((await call('GET', '/image/v2/images?tag=paged&created_at=lt:2000-01-01T00:00:00Z')).body.images.length, 0);
  assertGlanceError(await call('GET', '/image/v2/images?created_at=gte:yesterday'), 400);
  assertGlanceError(await call('GET', '/image/v2/images?size=big'), 400);
});

test('a private image is invisible (404, never 403) to another project; public is visible but not writable', async () => {
  const priv = (await call('POST', '/image/v2/images', { json: { name: 'admin-private', visibility: 'private' } })).body;
  assertGlanceError(await call('GET', `/image/v2/images/${priv.id}`, { token: bed.member.token }), 404);
  assertGlanceError(await call('DELETE', `/image/v2/images/${priv.id}`, { token: bed.member.token }), 404);
  const list = await call('GET', '/image/v2/images?limit=1000', { token: bed.member.token });
  assert.ok(!list.body.images.some((i: { id: string }) => i.id === priv.id));
  const cirros = list.body.images.find((i: { name: string }) => i.name === 'cirros-0.3.4-x86_64-uec');
  assert.ok(cirros, 'the public demo image is visible to every project');
  assert.equal(cirros.visibility, 'public');
  assert.equal(cirros.virtual_size, 40 * 1024 * 1024);
  assertGlanceError(await call('DELETE', `/image/v2/images/${cirros.id}`, { token: bed.member.token }), 403);
  assertGlanceError(await call('POST', '/image/v2/images', { token: bed.member.token, json: { name: 'mine', visibility: 'public' } }), 403);
  const own = await call('POST', '/image/v2/images', { token: bed.member.token, json: { name: 'mine' } });
  assert.equal(own.body.owner, bed.member.projectId);
});

test('members: share, accept as the member, list by member_status, remove; Glance status codes', async () => {
  const owner = bed.member;
  const other = await memberOf(bed.srv, 'img-share-target');
  const img = (await call('POST', '/image/v2/images', { token: owner.token, json: { name: 'to-share', disk_format: 'raw', container_format: 'bare' } })).body;
  const add = await call('POST', `/image/v2/images/${img.id}/members`, { token: owner.token, json: { member: other.projectId } });
  assert.equal(add.status, 200, add.raw.toString());
  assert.deepEqual(Object.keys(add.body).sort(), ['created_at', 'image_id', 'member_id', 'schema', 'status', 'updated_at']);
  assert.equal(add.body.status, 'pending');
  assertGlanceError(await call('POST', `/image/v2/images/${img.id}/members`, { token: owner.token, json: { member: other.projectId } }), 409);
  assertGlanceError(await call('POST', `/image/v2/images/${img.id}/members`, { token: owner.token, json: {} }), 400);

  const listIds = async (query: string) => (await call('GET', `/image/v2/images${query}`, { token: other.token })).body.images.map((i: { id: string }) => i.id);
  assert.ok(!(await listIds('')).includes(img.id));
  assert.deepEqual(await listIds('?member_status=pending&visibility=shared'), [img.id]);
  assertGlanceError(await call('GET', '/image/v2/images?member_status=maybe', { token: other.token }), 400);

  const path = `/image/v2/images/${img.id}/members/${other.projectId}`;
  assertGlanceError(await call('PUT', path, { token: owner.token, json: { status: 'accepted' } }), 403);
  assertGlanceError(await call('PUT', path, { token: other.token, json: { status: 'notavalidstatus' } }), 400);
  const accepted = await call('PUT', path, { token: other.token, json: { status: 'accepted' } });
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.status, 'accepted');
  assert.ok((await listIds('')).includes(img.id));
  assert.equal((await call('GET', path, { token: owner.token })).body.status, 'accepted');

  const listed = await call('GET', `/image/v2/images/${img.id}/members`, { token: owner.token });
  assert.equal(listed.body.schema, '/v2/schemas/members');
  assert.deepEqual(listed.body.members.map((m: { member_id: string }) => m.member_id), [other.projectId]);
  assertGlanceError(await call('DELETE', path, { token: other.token }), 403);
  assert.equal((await call('DELETE', path, { token: owner.token })).status, 204);
  assert.ok(!(await listIds('?member_status=all')).includes(img.id));
  assertGlanceError(await call('GET', `/image/v2/images/${img.id}`, { token: other.token }), 404);

  const priv = (await call('POST', '/image/v2/images', { token: owner.token, json: { name: 'private-one', visibility: 'private' } })).body;
  assertGlanceError(await call('POST', `/image/v2/images/${priv.id}/members`, { token: owner.token, json: { member: other.projectId } }), 403);
  for (const name of ['member', 'members']) assert.equal((await call('GET', `/image/v2/schemas/${name}`)).body.name, name);
});

test('actions/deactivate and actions/reactivate: 204, and a deactivated image cannot be downloaded by its owner', async () => {
  const img = (await call('POST', '/image/v2/images', { token: bed.member.token, json: { name: 'deact', disk_format: 'raw', container_format: 'bare' } })).body;
  assertGlanceError(await call('POST', `/image/v2/images/${img.id}/actions/deactivate`, { token: bed.member.token }), 403);
  assert.equal((await call('PUT', `/image/v2/images/${img.id}/file`, { token: bed.member.token, body: Buffer.from('disk') })).status, 204);
  assert.equal((await call('POST', `/image/v2/images/${img.id}/actions/deactivate`, { token: bed.member.token })).status, 204);
  assert.equal((await call('GET', `/image/v2/images/${img.id}`, { token: bed.member.token })).body.status, 'deactivated');
  assertGlanceError(await call('GET', `/image/v2/images/${img.id}/file`, { token: bed.member.token }), 403);
  assert.equal((await call('GET', `/image/v2/images/${img.id}/file`)).raw.toString(), 'disk');
  assert.equal((await call('POST', `/image/v2/images/${img.id}/actions/reactivate`, { token: bed.member.token })).status, 204);
  assert.equal((await call('GET', `/image/v2/images/${img.id}/file`, { token: bed.member.token })).raw.toString(), 'disk');
  assertGlanceError(await call('POST', `/image/v2/images/no-such/actions/reactivate`), 404);
});

test('tags: PUT and DELETE /tags/{tag}', async () => {
  const img = (await call('POST', '/image/v2/images', { json: { name: 'tagged' } })).body;
  assert.equal((await call('PUT', `/image/v2/images/${img.id}/tags/blue`)).status, 204);
  assert.equal((await call('PUT', `/image/v2/images/${img.id}/tags/blue`)).status, 204);
  assert.deepEqual((await call('GET', `/image/v2/images/${img.id}`)).body.tags, ['blue']);
  assert.equal((await call('DELETE', `/image/v2/images/${img.id}/tags/blue`)).status, 204);
  assertGlanceError(await call('DELETE', `/image/v2/images/${img.id}/tags/blue`), 404);
  assertGlanceError(await call('PUT', `/image/v2/images/${img.id}/tags/${'t'.repeat(300)}`), 400);
});

test('schemas for image and images', async () => {
  const image = await call('GET', '/image/v2/schemas/image');
  assert.equal(image.status, 200);
  assert.equal(image.body.name, 'image');
  assert.deepEqual(image.body.additionalProperties, { type: 'string' });
  assert.equal(image.body.properties.status.readOnly, true);
  const images = await call('GET', '/image/v2/schemas/images');
  assert.equal(images.body.name, 'images');
});

test('bytes that are not the declared disk_format are refused with 400 and the image stays queued', async () => {
  const img = (await call('POST', '/image/v2/images', { json: { name: 'fake-qcow2', disk_format: 'qcow2', container_format: 'bare' } })).body;
  const res = await call('PUT', `/image/v2/images/${img.id}/file`, { body: Buffer.alloc(200_000, 0x5a) });
  assertGlanceError(res, 400);
  assert.match(res.body.error.message, /does not match its disk_format 'qcow2'/);
  assert.equal((await call('GET', `/image/v2/images/${img.id}`)).body.status, 'queued');
  assert.ok(!readdirSync(join(bed.srv.dataDir, 'images')).some((f) => f.startsWith(img.id)));
});

test('an upload over maxImageBytes is refused with 413 and leaves the image queued', async () => {
  const img = (await call('POST', '/image/v2/images', { json: { name: 'too-big', disk_format: 'raw', container_format: 'bare' } })).body;
  const saved = bed.srv.cp.config.maxImageBytes;
  bed.srv.cp.config.maxImageBytes = 1000;
  try {
    assertGlanceError(await call('PUT', `/image/v2/images/${img.id}/file`, { body: Buffer.alloc(5000) }), 413);
  } finally {
    bed.srv.cp.config.maxImageBytes = saved;
  }
  assert.equal((await call('GET', `/image/v2/images/${img.id}`)).body.status, 'queued');
  assert.ok(!readdirSync(join(bed.srv.dataDir, 'images')).some((f) => f.startsWith(img.id)));
});

test('a client that hangs up mid-upload leaves no partial file and the image queued', async () => {
  const img = (await call('POST', '/image/v2/images', { json: { name: 'cut-off', disk_format: 'raw', container_format: 'bare' } })).body;
  const { port } = new URL(bed.srv.url);
  const req = request({ host: '127.0.0.1', port: Number(port), method: 'PUT', path: `/image/v2/images/${img.id}/file`, headers: { 'x-auth-token': bed.admin, 'content-type': 'application/octet-stream', 'content-length': '10000000' } });
  req.on('error', () => undefined);
  req.write(Buffer.alloc(200_000, 1));
  // Wait until the server has started saving, then cut the connection.
  for (let i = 0; i < 500 && (await call('GET', `/image/v2/images/${img.id}`)).body.status !== 'saving'; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal((await call('GET', `/image/v2/images/${img.id}`)).body.status, 'saving');
  req.destroy();
  let status = 'saving';
  for (let i = 0; i < 500 && status !== 'queued'; i++) {
    await new Promise((r) => setTimeout(r, 10));
    status = (await call('GET', `/image/v2/images/${img.id}`)).body.status;
  }
  assert.equal(status, 'queued');
  assert.ok(!readdirSync(join(bed.srv.dataDir, 'images')).some((f) => f.startsWith(img.id)));
});
