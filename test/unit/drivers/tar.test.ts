// The driver's tar writer, read back by the system's GNU tar as a host would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tarArchive } from '../../../main/drivers/libvirt/tar';

test('GNU tar extracts every file with its bytes, its mode and its parent folders', { skip: !existsSync('/usr/bin/tar') && 'tar missing' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-tar-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const entries = [
    { path: 'domain.xml', content: Buffer.from("<domain type='qemu'/>\n"), mode: 0o644 },
    { path: 'seed/openstack/latest/user_data', content: randomBytes(1500), mode: 0o600 },
    { path: 'seed/openstack/latest/meta_data.json', content: Buffer.from('{}'), mode: 0o644 },
    { path: 'seed/empty', content: Buffer.alloc(0), mode: 0o644 },
    { path: 'seed/exactly-one-block', content: Buffer.alloc(512, 7), mode: 0o644 },
  ];
  const r = spawnSync('/usr/bin/tar', ['-x', '-f', '-', '-C', dir, '--no-same-owner'], { input: tarArchive(entries) });
  assert.equal(r.status, 0, r.stderr.toString());
  for (const e of entries) {
    assert.ok(readFileSync(join(dir, e.path)).equals(e.content), e.path);
    assert.equal(statSync(join(dir, e.path)).mode & 0o777, e.mode, e.path);
  }
  assert.ok(statSync(join(dir, 'seed/openstack/latest')).isDirectory());
});

test('entry names that could leave the target folder are refused', () => {
  for (const path of ['../x', '/etc/passwd', 'a/../../b', 'x'.repeat(101)]) {
    assert.throws(() => tarArchive([{ path, content: Buffer.alloc(0), mode: 0o644 }]), RangeError, path);
  }
});
