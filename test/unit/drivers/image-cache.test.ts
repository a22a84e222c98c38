// The libvirt driver's image cache against this computer (LocalExecutor, a temp state dir): only
// self-contained qcow2 and raw images reach a host's cache.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeskError } from '../../../main/core/errors';
import { LocalExecutor } from '../../../main/drivers/executor/local-executor';
import { ImageCache } from '../../../main/drivers/libvirt/image-cache';
import { HostPaths } from '../../../main/drivers/libvirt/paths';
import type { ImageSpec, OpContext } from '../../../main/drivers/types';

const haveTools = existsSync('/usr/bin/qemu-img') && existsSync('/usr/bin/flock');
const op = (): OpContext => ({ signal: new AbortController().signal });

function setup(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-image-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const paths = new HostPaths(join(dir, 'host'));
  const cache = new ImageCache(new LocalExecutor(), paths, 'local');
  const qemuImg = (...args: string[]) => {
    const r = spawnSync('/usr/bin/qemu-img', args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  const spec = (id: string, path: string, diskFormat: string): ImageSpec => ({ id, path, diskFormat, sizeBytes: statSync(path).size });
  return { dir, paths, cache, qemuImg, spec };
}

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof DeskError, String(e));
    assert.equal(e.code, 'BadRequest', e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('the image cache refuses formats other than qcow2 and raw before copying anything', { skip: !haveTools && 'qemu-img or flock missing' }, async (t) => {
  const s = setup(t);
  const file = join(s.dir, 'disk.vmdk');
  s.qemuImg('create', '-q', '-f', 'vmdk', file, '1M');
  await refused(s.cache.ensure(s.spec('vm', file, 'vmdk'), op()), /only qcow2 and raw images can boot on real hosts; convert it with qemu-img first/);
  assert.equal(existsSync(s.paths.imagesDir), false);
});

test('the image cache refuses a qcow2 with an external data file and a raw that is really a qcow2', { skip: !haveTools && 'qemu-img or flock missing' }, async (t) => {
  const s = setup(t);
  const hostFile = join(s.dir, 'host-secret');
  writeFileSync(hostFile, Buffer.alloc(1024 * 1024, 0x41));
  const evil = join(s.dir, 'evil.qcow2');
  s.qemuImg('create', '-q', '-f', 'qcow2', '-o', `data_file=${hostFile}`, evil, '1M');
  await refused(s.cache.ensure(s.spec('evil', evil, 'qcow2'), op()), /external data file/);
  assert.equal(existsSync(s.paths.cachedImage('evil')), false, 'nothing cached');

  const plain = join(s.dir, 'plain.qcow2');
  s.qemuImg('create', '-q', '-f', 'qcow2', plain, '1M');
  await refused(s.cache.ensure(s.spec('disguised', plain, 'raw'), op()), /declared raw but its data is a qcow image/);
  assert.equal(existsSync(s.paths.cachedImage('disguised')), false);

  // the same qcow2, declared right, is cached; a raw is converted to qcow2
  assert.equal(await s.cache.ensure(s.spec('plain', plain, 'qcow2'), op()), s.paths.cachedImage('plain'));
  const raw = join(s.dir, 'disk.raw');
  writeFileSync(raw, Buffer.alloc(1024 * 1024));
  const cached = await s.cache.ensure(s.spec('raw', raw, 'raw'), op());
  const info = JSON.parse(spawnSync('/usr/bin/qemu-img', ['info', '-f', 'qcow2', '--output=json', cached], { encoding: 'utf8' }).stdout) as { format: string };
  assert.equal(info.format, 'qcow2');
});
