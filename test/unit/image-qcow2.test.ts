import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmptyQcow2, qcow2VirtualSize, QCOW2_MAGIC } from '../../main/image/qcow2';

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
