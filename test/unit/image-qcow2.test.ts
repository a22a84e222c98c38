import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmptyQcow2, qcow2UnsafeReason, qcow2VirtualSize, QCOW2_EXT_DATA_FILE, QCOW2_INCOMPAT_DATA_FILE, QCOW2_MAGIC } from '../../main/image/qcow2';

test('qcow2VirtualSize reads bytes 24..31 big-endian from a v2 or v3 header', () => {
  const head = Buffer.alloc(64);
  head.writeUInt32BE(QCOW2_MAGIC, 0);
  head.writeUInt32BE(2, 4);
  head.writeBigUInt64BE(1073741824n, 24);
  assert.equal(qcow2VirtualSize(head), 1073741824);
  head.writeUInt32BE(3, 4);
  head.writeBigUInt64BE(0x0000_0102_0304_0506n, 24);
  assert.equal(qcow2VirtualSize(head), 0x0102_0304_0506);
});

test('qcow2VirtualSize rejects wrong magic, unknown versions, short buffers and absurd sizes', () => {
  const head = Buffer.alloc(64);
  assert.equal(qcow2VirtualSize(head), null);
  head.writeUInt32BE(QCOW2_MAGIC, 0);
  head.writeUInt32BE(4, 4);
  assert.equal(qcow2VirtualSize(head), null);
  head.writeUInt32BE(3, 4);
  assert.equal(qcow2VirtualSize(head.subarray(0, 31)), null);
  head.writeBigUInt64BE(2n ** 60n, 24);
  assert.equal(qcow2VirtualSize(head), null);
  assert.equal(qcow2VirtualSize(Buffer.from('not an image at all, just some text bytes here')), null);
});

test('buildEmptyQcow2 declares its virtual size and is a valid image for qemu-img', (t) => {
  const img = buildEmptyQcow2(41126400);
  assert.equal(qcow2VirtualSize(img), 41126400);
  assert.equal(img.readUInt32BE(4), 3);
  if (!existsSync('/usr/bin/qemu-img')) {
    t.skip('qemu-img not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-qcow2-'));
  try {
    const file = join(dir, 'demo.qcow2');
    writeFileSync(file, img);
    const check = spawnSync('/usr/bin/qemu-img', ['check', file], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const info = spawnSync('/usr/bin/qemu-img', ['info', '--output=json', file], { encoding: 'utf8' });
    const parsed = JSON.parse(info.stdout) as { format: string; 'virtual-size': number };
    assert.equal(parsed.format, 'qcow2');
    assert.equal(parsed['virtual-size'], 41126400);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('qcow2UnsafeReason refuses backing files, external data files and unknown incompatible features', () => {
  const img = buildEmptyQcow2(1024 ** 3);
  assert.equal(qcow2UnsafeReason(img), null);
  assert.equal(qcow2UnsafeReason(Buffer.from('plain raw bytes, not a qcow2 header at all....')), null);

  const backed = Buffer.from(img);
  backed.writeBigUInt64BE(512n, 8);
  assert.match(qcow2UnsafeReason(backed) ?? '', /backing file/);

  const dataBit = Buffer.from(img);
  dataBit.writeBigUInt64BE(QCOW2_INCOMPAT_DATA_FILE, 72);
  assert.match(qcow2UnsafeReason(dataBit) ?? '', /external data file/);

  // the data-file extension without the feature bit is refused too
  const dataExt = Buffer.from(img);
  dataExt.writeUInt32BE(0x6803f857, 104); // feature name table (skipped)
  dataExt.writeUInt32BE(3, 108);
  dataExt.writeUInt32BE(QCOW2_EXT_DATA_FILE, 120);
  dataExt.writeUInt32BE(10, 124);
  dataExt.write('/etc/shadow', 128);
  assert.match(qcow2UnsafeReason(dataExt) ?? '', /names an external data file/);

  const unknown = Buffer.from(img);
  unknown.writeBigUInt64BE(1n << 40n, 72);
  assert.match(qcow2UnsafeReason(unknown) ?? '', /unknown incompatible features/);
  assert.match(qcow2UnsafeReason(img.subarray(0, 64)) ?? '', /truncated/);
});

test('qcow2UnsafeReason refuses a qcow2 that qemu-img made with a data file on the host', (t) => {
  if (!existsSync('/usr/bin/qemu-img')) {
    t.skip('qemu-img not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-qcow2-'));
  try {
    const file = join(dir, 'evil.qcow2');
    const made = spawnSync('/usr/bin/qemu-img', ['create', '-q', '-f', 'qcow2', '-o', `data_file=${join(dir, 'host-file')}`, file, '1M'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assert.match(qcow2UnsafeReason(readFileSync(file).subarray(0, 65536)) ?? '', /external data file/);
    const plain = join(dir, 'plain.qcow2');
    assert.equal(spawnSync('/usr/bin/qemu-img', ['create', '-q', '-f', 'qcow2', plain, '1M']).status, 0);
    assert.equal(qcow2UnsafeReason(readFileSync(plain)), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
