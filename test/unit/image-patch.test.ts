import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyImagePatch, patchKey, type ImageDraft } from '../../main/image/image-patch';
import { DeskError } from '../../main/core/errors';

const base: ImageDraft = {
  name: 'img',
  visibility: 'private',
  protected: false,
  os_hidden: false,
  min_disk: 0,
  min_ram: 0,
  disk_format: 'qcow2',
  container_format: 'bare',
  tags: ['a'],
  owner: 'p1',
  properties: { os_distro: 'cirros' },
};

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DeskError, String(e));
    return e.code;
  }
  return 'none';
};

test('replace and add set core attributes; add/replace/remove work on custom properties', () => {
  const out = applyImagePatch(
    base,
    [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'add', path: '/min_ram', value: 64 },
      { op: 'replace', path: '/tags', value: ['x', 'y'] },
      { op: 'add', path: '/hw_disk_bus', value: 'virtio' },
      { op: 'replace', path: '/os_distro', value: 'ubuntu' },
      { op: 'remove', path: '/hw_disk_bus' },
      { op: 'add', path: '/a~1b', value: 'slash' },
    ],
    'queued',
  );
  assert.equal(out.name, 'renamed');
  assert.equal(out.min_ram, 64);
  assert.deepEqual(out.tags, ['x', 'y']);
  assert.deepEqual(out.properties, { os_distro: 'ubuntu', 'a/b': 'slash' });
  assert.deepEqual(base.properties, { os_distro: 'cirros' }, 'the input draft is left untouched');
});

test('Glance status codes: read-only 403, missing property 409, duplicate add 409, bad value 400', () => {
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/status', value: 'active' }], 'queued')), 'Forbidden');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/checksum', value: 'x' }], 'queued')), 'Forbidden');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'add', path: '/locations', value: [] }], 'queued')), 'Forbidden');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'add', path: '/os_glance_foo', value: 'bar' }], 'queued')), 'Forbidden', 'the os_glance namespace is reserved');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'remove', path: '/name' }], 'queued')), 'Forbidden');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/nope', value: 'x' }], 'queued')), 'Conflict');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'remove', path: '/nope' }], 'queued')), 'Conflict');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'add', path: '/os_distro', value: 'x' }], 'queued')), 'Conflict');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/min_disk', value: -1 }], 'queued')), 'BadRequest');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/visibility', value: 'everyone' }], 'queued')), 'BadRequest');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/name', value: 'n'.repeat(10_000) }], 'queued')), 'BadRequest');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'add', path: '/custom', value: 5 }], 'queued')), 'BadRequest');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/tags', value: ['a', 'a'] }], 'queued')), 'BadRequest');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/name' }], 'queued')), 'BadRequest');
});

test('formats can change only while queued', () => {
  assert.equal(applyImagePatch(base, [{ op: 'replace', path: '/disk_format', value: 'raw' }], 'queued').disk_format, 'raw');
  assert.equal(code(() => applyImagePatch(base, [{ op: 'replace', path: '/disk_format', value: 'raw' }], 'active')), 'Forbidden');
  // Setting the same value on an active image is allowed.
  assert.equal(applyImagePatch(base, [{ op: 'replace', path: '/disk_format', value: 'qcow2' }], 'active').disk_format, 'qcow2');
});

test('patch paths are one-segment JSON pointers', () => {
  assert.equal(patchKey('/name'), 'name');
  assert.equal(patchKey('/a~1b~0c'), 'a/b~c');
  for (const bad of ['name', '/', '/a/b', '']) assert.equal(code(() => patchKey(bad)), 'BadRequest');
});
