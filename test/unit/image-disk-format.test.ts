import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HEAD_BYTES } from '../../main/image/disk-format';
import type { DiskFormat } from '../../main/image/image-types';
import { A, rejectsWith, setup } from './image-helpers';

// Regression tests for "upload accepts any bytes as qcow2 and shows the image ACTIVE": real images made
// by qemu-img and genisoimage are accepted only under their own disk_format.

const QEMU_IMG = '/usr/bin/qemu-img';
const GENISOIMAGE = '/usr/bin/genisoimage';
const skip = !existsSync(QEMU_IMG) || !existsSync(GENISOIMAGE) ? 'qemu-img or genisoimage not installed' : false;

function run(cmd: string, args: string[]): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(res.status, 0, `${cmd} ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
}

interface Sample {
  format: DiskFormat;
  bytes: Buffer;
  /** What qemu-img info says, for the formats whose size DeskStack reads from the header. */
  virtualSize: number | null;
}

/** One small image per format, made by the real tools, in a folder removed after the test. */
function makeSamples(t: TestContext): { dir: string; samples: Sample[] } {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-fmt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const qemuSize = (file: string, fmt: string) => (JSON.parse(run(QEMU_IMG, ['info', '-f', fmt, '--output=json', file])) as { 'virtual-size': number })['virtual-size'];
  const made = (format: DiskFormat, qemuFmt: string, extra: string[] = [], size = '64M'): Sample => {
    const file = join(dir, `disk-${format}-${extra.length}`);
    run(QEMU_IMG, ['create', '-q', '-f', qemuFmt, ...extra, file, size]);
    return { format, bytes: readFileSync(file), virtualSize: format === 'vhdx' ? null : qemuSize(file, qemuFmt) };
  };
  mkdirSync(join(dir, 'iso-root'));
  writeFileSync(join(dir, 'iso-root', 'hello.txt'), 'hello from an ISO\n');
  const iso = join(dir, 'disk.iso');
  run(GENISOIMAGE, ['-quiet', '-o', iso, join(dir, 'iso-root')]);
  const isoBytes = readFileSync(iso);
  return {
    dir,
    samples: [
      made('qcow2', 'qcow2'),
      made('raw', 'raw', [], '1M'),
      made('vmdk', 'vmdk'),
      made('vmdk', 'vmdk', ['-o', 'subformat=streamOptimized']),
      made('vdi', 'vdi'),
      made('vhd', 'vpc'),
      made('vhd', 'vpc', ['-o', 'subformat=fixed'], '4M'),
      made('vhdx', 'vhdx'),
      { format: 'iso', bytes: isoBytes, virtualSize: isoBytes.length },
    ],
  };
}

/** Splits bytes into uneven chunks, as a network would deliver them. */
const chunked = (bytes: Buffer) => Readable.from([bytes.subarray(0, 7), bytes.subarray(7, 40_000), bytes.subarray(40_000)].filter((b) => b.length > 0));

test('each real image is accepted under its own disk_format, with the virtual size qemu-img reports', { skip }, async (t) => {
  const s = setup(t);
  for (const sample of makeSamples(t).samples) {
    const img = s.images.create(A, { name: `ok-${sample.format}`, disk_format: sample.format, container_format: 'bare' });
    const view = await s.images.upload(A, img.id, chunked(sample.bytes));
    assert.equal(view.status, 'active', sample.format);
    assert.equal(view.size, sample.bytes.length);
    assert.equal(view.virtual_size, sample.virtualSize, `${sample.format} virtual_size`);
  }
});

test('every real image is refused under any other inspected disk_format, and the image stays queued with no file', { skip }, async (t) => {
  const s = setup(t);
  const inspected: DiskFormat[] = ['qcow2', 'raw', 'vmdk', 'vdi', 'vhd', 'vhdx', 'iso'];
  for (const sample of makeSamples(t).samples) {
    for (const declared of inspected.filter((f) => f !== sample.format)) {
      const img = s.images.create(A, { name: `bad-${sample.format}-as-${declared}`, disk_format: declared, container_format: 'bare' });
      const err = await rejectsWith(s.images.upload(A, img.id, chunked(sample.bytes)), 'BadRequest');
      assert.match(err.message, new RegExp(`does not match its disk_format '${declared}'`), `${sample.format} as ${declared}: ${err.message}`);
      assert.equal(s.images.get(A, img.id).status, 'queued');
      assert.ok(!existsSync(join(s.imagesDir, img.id)) && !existsSync(join(s.imagesDir, `${img.id}.part`)));
    }
  }
});

test('the message names the real format: a qcow2 uploaded as raw is refused, saying so', { skip }, async (t) => {
  const s = setup(t);
  const qcow2 = makeSamples(t).samples.find((x) => x.format === 'qcow2')!;
  const img = s.images.create(A, { name: 'raw-lie', disk_format: 'raw', container_format: 'bare' });
  const err = await rejectsWith(s.images.upload(A, img.id, chunked(qcow2.bytes)), 'BadRequest');
  assert.match(err.message, /it is a qcow2 image; set disk_format to qcow2/);
});

test('arbitrary bytes are raw; ami, ari, aki and ploop are not inspected, as in Glance', async (t) => {
  const s = setup(t);
  const bytes = Buffer.alloc(3000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
  for (const format of ['raw', 'ami', 'ari', 'aki', 'ploop'] as const) {
    const img = s.images.create(A, { name: format, disk_format: format, container_format: 'bare' });
    assert.equal((await s.images.upload(A, img.id, Readable.from([bytes]))).status, 'active', format);
  }
});

test('a mismatch is refused as soon as the head has arrived, without reading the rest of the body', async (t) => {
  const s = setup(t);
  const img = s.images.create(A, { name: 'huge-lie', disk_format: 'qcow2', container_format: 'bare' });
  let produced = 0;
  const endless = Readable.from(
    (function* () {
      for (;;) {
        produced += 16 * 1024;
        yield Buffer.alloc(16 * 1024, 0x41);
      }
    })(),
  );
  await rejectsWith(s.images.upload(A, img.id, endless), 'BadRequest');
  assert.ok(produced <= HEAD_BYTES + 2 * 16 * 1024, `read ${produced} bytes before refusing`);
  assert.equal(s.images.get(A, img.id).status, 'queued');
});

test('unsafe VMDK and VHD variants are refused: descriptor files, parents, differencing disks', { skip }, async (t) => {
  const s = setup(t);
  const { dir, samples } = makeSamples(t);
  const upload = async (format: DiskFormat, bytes: Buffer) => {
    const img = s.images.create(A, { name: 'unsafe', disk_format: format, container_format: 'bare' });
    const err = await rejectsWith(s.images.upload(A, img.id, Readable.from([bytes])), 'BadRequest');
    assert.equal(s.images.get(A, img.id).status, 'queued');
    return err.message;
  };

  run(QEMU_IMG, ['create', '-q', '-f', 'vmdk', '-o', 'subformat=monolithicFlat', join(dir, 'flat.vmdk'), '1M']);
  assert.match(await upload('vmdk', readFileSync(join(dir, 'flat.vmdk'))), /descriptor file, which points at other files/);

  run(QEMU_IMG, ['create', '-q', '-f', 'vmdk', join(dir, 'base.vmdk'), '16M']);
  run(QEMU_IMG, ['create', '-q', '-f', 'vmdk', '-b', join(dir, 'base.vmdk'), '-F', 'vmdk', join(dir, 'child.vmdk')]);
  assert.match(await upload('vmdk', readFileSync(join(dir, 'child.vmdk'))), /names a parent disk/);

  // A differencing VHD (disk type 4) names a parent; qemu-img cannot make one, so patch a dynamic VHD's footers.
  const vhd = Buffer.from(samples.find((x) => x.format === 'vhd' && x.bytes.subarray(0, 8).toString() === 'conectix')!.bytes);
  vhd.writeUInt32BE(4, 60);
  vhd.writeUInt32BE(4, vhd.length - 512 + 60);
  assert.match(await upload('vhd', vhd), /differencing VHD/);

  const qcow2 = samples.find((x) => x.format === 'qcow2')!.bytes;
  const iso = samples.find((x) => x.format === 'iso')!.bytes;
  const polyglot = Buffer.concat([qcow2.subarray(0, 0x8000), iso.subarray(0x8000)]);
  assert.match(await upload('iso', polyglot), /matches several disk formats/);
});
