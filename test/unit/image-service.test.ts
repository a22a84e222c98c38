import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { RequestContext } from '../../main/core/context';
import { ImageService } from '../../main/image/image-service';
import { buildEmptyQcow2 } from '../../main/image/qcow2';
import { A, ADMIN, B, rejectsWith, setup } from './image-helpers';

const queuedImage = (images: ImageService, ctx = A, extra: Record<string, unknown> = {}) =>
  images.create(ctx, { name: 'img', disk_format: 'raw', container_format: 'bare', ...extra });

test('create defaults to queued, shared, owned by the caller project, and emits an event', (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'first', properties: { os_distro: 'cirros' } });
  assert.equal(img.status, 'queued');
  assert.equal(img.visibility, 'shared');
  assert.equal(img.owner, 'proj-a');
  assert.equal(img.size, null);
  assert.equal(img.checksum, null);
  assert.deepEqual(img.properties, { os_distro: 'cirros' });
  assert.equal(img.self, `/v2/images/${img.id}`);
  assert.match(img.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(s.events.at(-1), { type: 'resource', kind: 'image', id: img.id, projectId: 'proj-a', action: 'created' });
});

test('visibility: private and shared only for the owner, public and community for all, admin sees all', async (t) => {
  const s = setup(t);
  const priv = s.images.create(A, { name: 'priv', visibility: 'private' });
  const shared = s.images.create(A, { name: 'shared' });
  const comm = s.images.create(A, { name: 'comm', visibility: 'community' });
  const pub = s.images.create(ADMIN, { name: 'pub', visibility: 'public' });

  for (const id of [priv.id, shared.id]) {
    await rejectsWith(() => s.images.get(B, id), 'NotFound');
    await rejectsWith(() => s.images.update(B, id, [{ op: 'replace', path: '/name', value: 'x' }]), 'NotFound');
    await rejectsWith(() => s.images.delete(B, id), 'NotFound');
    await rejectsWith(s.images.upload(B, id, Readable.from([Buffer.from('x')])), 'NotFound');
    await rejectsWith(() => s.images.getForBoot(B, id), 'NotFound');
    assert.equal(s.images.get(A, id).id, id);
    assert.equal(s.images.get(ADMIN, id).id, id);
  }
  assert.equal(s.images.get(B, comm.id).id, comm.id);
  assert.equal(s.images.get(B, pub.id).id, pub.id);

  const names = (ctx: RequestContext, f = {}) => s.images.list(ctx, f).images.map((i) => i.name).sort();
  assert.deepEqual(names(B), ['pub'], 'community images stay out of the default listing');
  assert.deepEqual(names(B, { visibility: 'community' }), ['comm']);
  assert.deepEqual(names(B, { visibility: 'all' }), ['comm', 'pub']);
  assert.deepEqual(names(A), ['comm', 'priv', 'pub', 'shared']);
  assert.deepEqual(names(ADMIN), ['comm', 'priv', 'pub', 'shared']);
  assert.deepEqual(names(ADMIN, { visibility: 'private' }), ['priv']);
});

test('only admins publicize or give images away; another project may not modify a visible image', async (t) => {
  const s = setup(t);
  await rejectsWith(() => s.images.create(A, { name: 'p', visibility: 'public' }), 'Forbidden');
  await rejectsWith(() => s.images.create(A, { name: 'p', owner: 'proj-b' }), 'Forbidden');
  const img = s.images.create(A, { name: 'mine' });
  await rejectsWith(() => s.images.update(A, img.id, [{ op: 'replace', path: '/visibility', value: 'public' }]), 'Forbidden');
  assert.equal(s.images.update(A, img.id, [{ op: 'replace', path: '/visibility', value: 'community' }]).visibility, 'community');
  await rejectsWith(() => s.images.update(B, img.id, [{ op: 'replace', path: '/name', value: 'stolen' }]), 'Forbidden');
  await rejectsWith(() => s.images.delete(B, img.id), 'Forbidden');
  assert.equal(s.images.update(ADMIN, img.id, [{ op: 'replace', path: '/visibility', value: 'public' }]).visibility, 'public');
});

test('upload streams to <id>.part, computes md5 and sha256 as node:crypto does, then goes active', async (t) => {
  const s = setup(t);
  const img = queuedImage(s.images);
  const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, i));
  const all = Buffer.concat(chunks);
  const body = new PassThrough();
  const seen: number[] = [];
  const statuses: string[] = [];
  s.bus.subscribe((e) => {
    if (e.type === 'resource' && e.id === img.id) statuses.push(s.images.get(A, img.id).status);
  });
  const done = s.images.upload(A, img.id, body, { onProgress: (n) => seen.push(n), expectedSize: all.length });
  body.write(chunks[0]);
  await new Promise((r) => setImmediate(r));
  assert.equal(s.images.get(A, img.id).status, 'saving');
  assert.ok(existsSync(join(s.imagesDir, `${img.id}.part`)), 'data goes to a .part file first');
  assert.ok(!existsSync(join(s.imagesDir, img.id)));
  for (const c of chunks.slice(1)) body.write(c);
  body.end();
  const view = await done;

  assert.equal(view.status, 'active');
  assert.equal(view.size, all.length);
  assert.equal(view.virtual_size, all.length, 'raw: virtual size is the size');
  assert.equal(view.checksum, createHash('md5').update(all).digest('hex'));
  assert.equal(view.os_hash_algo, 'sha256');
  assert.equal(view.os_hash_value, createHash('sha256').update(all).digest('hex'));
  assert.deepEqual(readFileSync(join(s.imagesDir, img.id)), all);
  assert.deepEqual(readdirSync(s.imagesDir), [img.id]);
  assert.equal(seen.at(-1), all.length);
  assert.deepEqual(statuses, ['saving', 'active']);

  const data = s.images.openData(A, img.id);
  assert.ok(data);
  assert.equal(data.size, all.length);
  assert.equal(data.checksum, view.checksum);
  const got: Buffer[] = [];
  for await (const c of data.stream) got.push(c as Buffer);
  assert.deepEqual(Buffer.concat(got), all);

  await rejectsWith(s.images.upload(A, img.id, Readable.from([Buffer.from('again')])), 'Conflict');
});

test('an aborted upload removes the partial file and returns the image to queued', async (t) => {
  const s = setup(t);
  const img = queuedImage(s.images);
  const body = new PassThrough();
  const ctl = new AbortController();
  const done = s.images.upload(A, img.id, body, { signal: ctl.signal });
  body.write(Buffer.alloc(100_000, 7));
  await new Promise((r) => setImmediate(r));
  assert.ok(existsSync(join(s.imagesDir, `${img.id}.part`)));
  ctl.abort();
  await rejectsWith(done, 'Conflict');
  assert.deepEqual(readdirSync(s.imagesDir), []);
  const after = s.images.get(A, img.id);
  assert.equal(after.status, 'queued');
  assert.equal(after.size, null);
  // And it can be uploaded again.
  const ok = await s.images.upload(A, img.id, Readable.from([Buffer.from('hello')]));
  assert.equal(ok.status, 'active');
});

test('a body that fails mid-stream leaves no partial file', async (t) => {
  const s = setup(t);
  const img = queuedImage(s.images);
  const body = new PassThrough();
  const done = s.images.upload(A, img.id, body);
  body.write(Buffer.alloc(1000, 1));
  await new Promise((r) => setImmediate(r));
  body.destroy(new Error('client went away'));
  await assert.rejects(done, /client went away/);
  assert.deepEqual(readdirSync(s.imagesDir), []);
  assert.equal(s.images.get(A, img.id).status, 'queued');
});

test('uploads over maxImageBytes are refused with 413; a short body with 400', async (t) => {
  const s = setup(t, { maxImageBytes: 1000 });
  const img = queuedImage(s.images);
  const e = await rejectsWith(s.images.upload(A, img.id, Readable.from([Buffer.alloc(600), Buffer.alloc(600)])), 'PayloadTooLarge');
  assert.equal(e.status, 413);
  assert.deepEqual(readdirSync(s.imagesDir), []);
  assert.equal(s.images.get(A, img.id).status, 'queued');
  await rejectsWith(s.images.upload(A, img.id, Readable.from([Buffer.alloc(10)]), { expectedSize: 5000 }), 'PayloadTooLarge');
  await rejectsWith(s.images.upload(A, img.id, Readable.from([Buffer.alloc(10)]), { expectedSize: 20 }), 'BadRequest');
  assert.equal(s.images.get(A, img.id).status, 'queued');
});

test('upload needs disk and container formats', async (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'noformat' });
  const e = await rejectsWith(s.images.upload(A, img.id, Readable.from([Buffer.from('x')])), 'BadRequest');
  assert.match(e.message, /disk_format, container_format must be set/);
});

test('qcow2 uploads record virtual_size from the header and refuse backing files', async (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'q', disk_format: 'qcow2', container_format: 'bare' });
  const bytes = buildEmptyQcow2(5 * 1024 ** 3);
  const view = await s.images.upload(A, img.id, Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]));
  assert.equal(view.virtual_size, 5 * 1024 ** 3);
  assert.equal(view.size, bytes.length);
  const backed = s.images.create(A, { name: 'b', disk_format: 'qcow2', container_format: 'bare' });
  const withBacking = Buffer.from(bytes);
  withBacking.writeBigUInt64BE(512n, 8);
  await rejectsWith(s.images.upload(A, backed.id, Readable.from([withBacking])), 'BadRequest');
  assert.equal(s.images.get(A, backed.id).status, 'queued');
  assert.ok(!existsSync(join(s.imagesDir, backed.id)), 'a refused qcow2 leaves no file');
  const dataFile = s.images.create(A, { name: 'd', disk_format: 'qcow2', container_format: 'bare' });
  const withDataFile = Buffer.from(bytes);
  withDataFile.writeBigUInt64BE(1n << 2n, 72); // incompatible feature: external data file
  const refused = await rejectsWith(s.images.upload(A, dataFile.id, Readable.from([withDataFile])), 'BadRequest');
  assert.match(refused.message, /external data file/);
  assert.ok(!existsSync(join(s.imagesDir, dataFile.id)), 'a refused data-file qcow2 leaves no file');
  const junk = s.images.create(A, { name: 'j', disk_format: 'qcow2', container_format: 'bare' });
  const notQcow2 = await rejectsWith(s.images.upload(A, junk.id, Readable.from([Buffer.from('not qcow2')])), 'BadRequest');
  assert.match(notQcow2.message, /does not match its disk_format 'qcow2': it has no qcow2 header/);
  assert.equal(s.images.get(A, junk.id).status, 'queued');
});

test('openData is null without data; delete removes row and file; protected images stay', async (t) => {
  const s = setup(t);
  const img = queuedImage(s.images);
  assert.equal(s.images.openData(A, img.id), null);
  await s.images.upload(A, img.id, Readable.from([Buffer.from('payload')]));
  assert.ok(existsSync(join(s.imagesDir, img.id)));
  s.images.update(A, img.id, [{ op: 'replace', path: '/protected', value: true }]);
  await rejectsWith(() => s.images.delete(A, img.id), 'Forbidden');
  s.images.update(A, img.id, [{ op: 'replace', path: '/protected', value: false }]);
  s.images.delete(A, img.id);
  assert.ok(!existsSync(join(s.imagesDir, img.id)));
  await rejectsWith(() => s.images.get(A, img.id), 'NotFound');
  assert.deepEqual(s.events.at(-1), { type: 'resource', kind: 'image', id: img.id, projectId: 'proj-a', action: 'deleted' });
});

test('deleting an image during its upload cancels the upload and leaves nothing behind', async (t) => {
  const s = setup(t);
  const img = queuedImage(s.images);
  const body = new PassThrough();
  const done = s.images.upload(A, img.id, body);
  body.write(Buffer.alloc(5000));
  await new Promise((r) => setImmediate(r));
  s.images.delete(A, img.id);
  await rejectsWith(done, 'Conflict');
  assert.deepEqual(readdirSync(s.imagesDir), []);
});

test('getForBoot: BadRequest until active, then the path and sizes compute needs', async (t) => {
  const s = setup(t);
  const img = queuedImage(s.images, A, { min_disk: 1, min_ram: 64 });
  const e = await rejectsWith(() => s.images.getForBoot(A, img.id), 'BadRequest');
  assert.equal(e.message, `Image ${img.id} is not active (status: queued).`);
  await s.images.upload(A, img.id, Readable.from([Buffer.from('bootable')]));
  const boot = s.images.getForBoot(A, img.id);
  assert.deepEqual({ ...boot, path: undefined }, { id: img.id, name: 'img', path: undefined, diskFormat: 'raw', size: 8, virtualSize: 8, minDisk: 1, minRam: 64 });
  assert.equal(await text(Readable.from([readFileSync(boot.path)])), 'bootable');
  await rejectsWith(() => s.images.getForBoot(A, 'no-such-image'), 'NotFound');
});

test('seedImage is idempotent by name and makes an active public image', async (t) => {
  const s = setup(t);
  const spec = { name: 'cirros-0.3.4-x86_64-uec', bytes: buildEmptyQcow2(41126400), diskFormat: 'qcow2' as const, containerFormat: 'bare' as const, visibility: 'public' as const, ownerProjectId: 'proj-admin' };
  const one = await s.images.seedImage(spec);
  const two = await s.images.seedImage(spec);
  assert.equal(one.id, two.id);
  assert.equal(one.status, 'active');
  assert.equal(one.virtual_size, 41126400);
  assert.equal(s.images.get(B, one.id).visibility, 'public');
  assert.equal(s.images.list(ADMIN).images.length, 1);
});

test('list filters, sorts and pages with a marker, as Glance does', async (t) => {
  const s = setup(t);
  for (let i = 0; i < 7; i++) {
    const img = s.images.create(A, { name: `img-${i}`, disk_format: i % 2 ? 'ami' : 'raw', container_format: 'bare', tags: i < 3 ? ['small'] : [], properties: { tier: i < 5 ? 'gold' : 'bronze' } });
    if (i < 4) await s.images.upload(A, img.id, Readable.from([Buffer.alloc((i + 1) * 10)]));
  }
  const names = (f: Parameters<ImageService['list']>[1]) => s.images.list(A, f).images.map((i) => i.name);
  assert.deepEqual(names({ sort_key: ['name'], sort_dir: ['asc'] }), ['img-0', 'img-1', 'img-2', 'img-3', 'img-4', 'img-5', 'img-6']);
  assert.deepEqual(names({ name: 'img-3' }), ['img-3']);
  assert.deepEqual(names({ name: 'in:img-3,img-5', sort_key: ['name'], sort_dir: ['asc'] }), ['img-3', 'img-5']);
  assert.deepEqual(names({ status: 'active', sort_key: ['name'], sort_dir: ['asc'] }), ['img-0', 'img-1', 'img-2', 'img-3']);
  assert.deepEqual(names({ disk_format: 'ami', sort_key: ['name'], sort_dir: ['asc'] }), ['img-1', 'img-3', 'img-5']);
  assert.deepEqual(names({ tag: ['small'], sort_key: ['name'], sort_dir: ['asc'] }), ['img-0', 'img-1', 'img-2']);
  assert.deepEqual(names({ size_min: 20, size_max: 30, sort_key: ['name'], sort_dir: ['asc'] }), ['img-1', 'img-2']);
  assert.deepEqual(names({ properties: { tier: 'bronze' }, sort_key: ['name'], sort_dir: ['asc'] }), ['img-5', 'img-6']);
  assert.deepEqual(names({ sort_key: ['size', 'name'], sort_dir: ['desc', 'asc'] }), ['img-3', 'img-2', 'img-1', 'img-0', 'img-4', 'img-5', 'img-6']);

  const seen: string[] = [];
  let marker: string | undefined;
  for (let guard = 0; guard < 10; guard++) {
    const page = s.images.list(A, { limit: 3, marker, sort_key: ['name'], sort_dir: ['desc'] });
    seen.push(...page.images.map((i) => i.name!));
    if (!page.nextMarker) break;
    marker = page.nextMarker;
  }
  assert.deepEqual(seen, ['img-6', 'img-5', 'img-4', 'img-3', 'img-2', 'img-1', 'img-0']);
  // Default order is newest first, and every image appears exactly once across pages.
  const p1 = s.images.list(A, { limit: 4 });
  const p2 = s.images.list(A, { limit: 4, marker: p1.nextMarker });
  assert.equal(new Set([...p1.images, ...p2.images].map((i) => i.id)).size, 7);
  assert.equal(p2.nextMarker, undefined);

  await rejectsWith(() => s.images.list(A, { marker: 'nope' }), 'BadRequest');
  await rejectsWith(() => s.images.list(A, { sort_key: ['password'] }), 'BadRequest');
  const hidden = s.images.create(A, { name: 'hidden', os_hidden: true });
  assert.ok(!names({}).includes('hidden'));
  assert.deepEqual(names({ os_hidden: true }), ['hidden']);
  assert.equal(s.images.get(A, hidden.id).os_hidden, true);
});

test('tags: add is idempotent, remove of a missing tag is NotFound', async (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 't' });
  s.images.addTag(A, img.id, 'x');
  s.images.addTag(A, img.id, 'x');
  s.images.addTag(A, img.id, 'y');
  assert.deepEqual(s.images.get(A, img.id).tags, ['x', 'y']);
  s.images.removeTag(A, img.id, 'x');
  assert.deepEqual(s.images.get(A, img.id).tags, ['y']);
  await rejectsWith(() => s.images.removeTag(A, img.id, 'x'), 'NotFound');
  await rejectsWith(() => s.images.addTag(A, img.id, 't'.repeat(300)), 'BadRequest');
});

test('a restart turns uploads cut off by a crash back to queued and removes their .part files', async (t) => {
  const s = setup(t);
  const img = queuedImage(s.images);
  s.db.prepare("UPDATE images SET status = 'saving' WHERE id = ?").run(img.id);
  writeFileSync(join(s.imagesDir, `${img.id}.part`), 'half');
  const again = new ImageService(s.db, s.bus, s.config);
  assert.equal(again.get(A, img.id).status, 'queued');
  assert.deepEqual(readdirSync(s.imagesDir), []);
});

test('create validates ids and refuses read-only or duplicate ones', async (t) => {
  const s = setup(t);
  await rejectsWith(() => s.images.create(A, { id: '../../etc/passwd' }), 'BadRequest');
  const id = '11111111-2222-3333-4444-555555555555';
  s.images.create(A, { id });
  await rejectsWith(() => s.images.create(A, { id }), 'Conflict');
  await rejectsWith(() => s.images.create(A, { properties: { status: 'active' } }), 'Forbidden');
  await rejectsWith(() => s.images.create(A, { name: 'x'.repeat(10_000) }), 'BadRequest');
});
