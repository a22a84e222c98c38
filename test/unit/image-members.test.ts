import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { ctxFor, A, ADMIN, B, rejectsWith, setup } from './image-helpers';

const C = ctxFor('proj-c');
const ids = (page: { images: Array<{ id: string }> }) => page.images.map((i) => i.id);

test('sharing: a pending member can show the image but lists it only on request; accepting lists it by default', (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'shared-img', disk_format: 'raw', container_format: 'bare' });
  assert.equal(img.visibility, 'shared');
  s.events.length = 0;
  const m = s.images.members.create(A, img.id, 'proj-b');
  assert.deepEqual({ ...m, created_at: '', updated_at: '' }, { image_id: img.id, member_id: 'proj-b', status: 'pending', created_at: '', updated_at: '', schema: '/v2/schemas/member' });
  assert.deepEqual(s.events.map((e) => e.type === 'resource' && e.projectId), ['proj-a', 'proj-b']);

  assert.equal(s.images.get(B, img.id).id, img.id, 'a member in any status can show the image');
  assert.ok(!ids(s.images.list(B)).includes(img.id), 'pending images are not in the default list');
  assert.deepEqual(ids(s.images.list(B, { member_status: 'pending', visibility: 'shared' })), [img.id]);
  assert.deepEqual(ids(s.images.list(B, { member_status: 'all', visibility: 'shared' })), [img.id]);
  assert.deepEqual(ids(s.images.list(B, { member_status: 'accepted', visibility: 'shared' })), []);
  assert.deepEqual(ids(s.images.list(A, { member_status: 'pending', visibility: 'shared' })), [img.id], 'the owner always sees its own images');

  assert.equal(s.images.members.update(B, img.id, 'proj-b', 'accepted').status, 'accepted');
  assert.ok(ids(s.images.list(B)).includes(img.id));
  assert.equal(s.images.members.update(B, img.id, 'proj-b', 'rejected').status, 'rejected');
  assert.ok(!ids(s.images.list(B)).includes(img.id));
  assert.deepEqual(ids(s.images.list(B, { member_status: 'rejected', visibility: 'shared' })), [img.id]);

  // A project that is not a member sees nothing at all.
  assert.throws(() => s.images.get(C, img.id), { code: 'NotFound' });
  assert.ok(!ids(s.images.list(C, { member_status: 'all' })).includes(img.id));
});

test('only the member decides its status; only the owner adds and removes members', async (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'x' });
  s.images.members.create(A, img.id, 'proj-b');
  await rejectsWith(() => s.images.members.update(A, img.id, 'proj-b', 'accepted'), 'Forbidden');
  assert.equal(s.images.members.get(A, img.id, 'proj-b').status, 'pending', 'the owner cannot accept on the member’s behalf');
  await rejectsWith(() => s.images.members.update(B, img.id, 'proj-b', 'notavalidstatus'), 'BadRequest');
  await rejectsWith(() => s.images.members.create(B, img.id, 'proj-c'), 'Forbidden');
  await rejectsWith(() => s.images.members.delete(B, img.id, 'proj-b'), 'Forbidden');
  await rejectsWith(() => s.images.members.create(A, img.id, 'proj-b'), 'Conflict');
  await rejectsWith(() => s.images.members.create(C, img.id, 'proj-c'), 'NotFound');

  s.images.members.create(A, img.id, 'proj-c');
  assert.deepEqual(s.images.members.list(A, img.id).map((m) => m.member_id).sort(), ['proj-b', 'proj-c']);
  assert.deepEqual(s.images.members.list(B, img.id).map((m) => m.member_id), ['proj-b'], 'a member sees only its own membership');
  await rejectsWith(() => s.images.members.get(B, img.id, 'proj-c'), 'NotFound');
  assert.equal(s.images.members.get(ADMIN, img.id, 'proj-c').member_id, 'proj-c');

  s.images.members.delete(A, img.id, 'proj-b');
  await rejectsWith(() => s.images.members.get(A, img.id, 'proj-b'), 'NotFound');
  await rejectsWith(() => s.images.members.delete(A, img.id, 'proj-b'), 'NotFound');
  assert.throws(() => s.images.get(B, img.id), { code: 'NotFound' }, 'a removed member no longer sees the image');
});

test('only shared images have members; making a shared image private hides it from its members', async (t) => {
  const s = setup(t);
  const priv = s.images.create(A, { name: 'p', visibility: 'private' });
  await rejectsWith(() => s.images.members.create(A, priv.id, 'proj-b'), 'Forbidden');
  await rejectsWith(() => s.images.members.list(A, priv.id), 'Forbidden');
  const img = s.images.create(A, { name: 's' });
  s.images.members.create(A, img.id, 'proj-b');
  s.images.members.update(B, img.id, 'proj-b', 'accepted');
  s.images.update(A, img.id, [{ op: 'replace', path: '/visibility', value: 'private' }]);
  assert.throws(() => s.images.get(B, img.id), { code: 'NotFound' });
  assert.ok(!ids(s.images.list(B)).includes(img.id));
});

test('deleting an image removes its memberships', (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'gone' });
  s.images.members.create(A, img.id, 'proj-b');
  s.images.delete(A, img.id);
  assert.equal(s.db.prepare('SELECT count(*) FROM image_members').pluck().get(), 0);
});

test('an accepted member can download and boot the image but cannot change or delete it', async (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'bootable', disk_format: 'raw', container_format: 'bare' });
  await s.images.upload(A, img.id, Readable.from([Buffer.from('raw disk bytes')]));
  s.images.members.create(A, img.id, 'proj-b');
  s.images.members.update(B, img.id, 'proj-b', 'accepted');
  assert.equal(await text(s.images.openData(B, img.id)!.stream), 'raw disk bytes');
  assert.equal(s.images.getForBoot(B, img.id).id, img.id);
  await rejectsWith(() => s.images.update(B, img.id, [{ op: 'replace', path: '/name', value: 'mine' }]), 'Forbidden');
  await rejectsWith(() => s.images.delete(B, img.id), 'Forbidden');
});

test('deactivate and reactivate: data is forbidden to non-admins while deactivated; only active ⇄ deactivated', async (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'd', disk_format: 'raw', container_format: 'bare' });
  await rejectsWith(() => s.images.deactivate(A, img.id), 'Forbidden');
  await s.images.upload(A, img.id, Readable.from([Buffer.from('payload')]));
  await rejectsWith(() => s.images.deactivate(B, img.id), 'NotFound');
  s.images.deactivate(A, img.id);
  s.images.deactivate(A, img.id);
  assert.equal(s.images.get(A, img.id).status, 'deactivated');
  await rejectsWith(() => s.images.openData(A, img.id), 'Forbidden');
  assert.equal(await text(s.images.openData(ADMIN, img.id)!.stream), 'payload', 'admins can still read the data');
  await rejectsWith(() => s.images.getForBoot(A, img.id), 'BadRequest');
  s.images.reactivate(A, img.id);
  s.images.reactivate(A, img.id);
  assert.equal(s.images.get(A, img.id).status, 'active');
  assert.equal(await text(s.images.openData(A, img.id)!.stream), 'payload');
  const queued = s.images.create(A, { name: 'q' });
  await rejectsWith(() => s.images.reactivate(A, queued.id), 'Forbidden');
});
