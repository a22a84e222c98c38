// The data folder is its owner's alone: owner-only from creation, and tightened at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createControlPlane } from '../../../main/control-plane';
import { tightenDataDir } from '../../../main/core/data-dir';
import { openDatabase } from '../../../main/core/db';
import { createLogger } from '../../../main/core/log';

const modeOf = (p: string) => statSync(p).mode & 0o777;

test('tightenDataDir makes folders 0700 and files 0600, follows no link, and says what it changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-perm-'));
  const outside = mkdtempSync(join(tmpdir(), 'deskstack-outside-'));
  try {
    mkdirSync(join(dir, 'images', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'deskstack.db'), 'x');
    writeFileSync(join(dir, 'images', 'deep', 'img'), 'x');
    writeFileSync(join(outside, 'theirs'), 'x');
    chmodSync(join(outside, 'theirs'), 0o644);
    symlinkSync(join(outside, 'theirs'), join(dir, 'link'));
    for (const p of [dir, join(dir, 'images'), join(dir, 'images', 'deep')]) chmodSync(p, 0o755);
    for (const p of [join(dir, 'deskstack.db'), join(dir, 'images', 'deep', 'img')]) chmodSync(p, 0o644);

    const fixed = tightenDataDir(dir);
    assert.equal(fixed.length, 5);
    for (const p of [dir, join(dir, 'images'), join(dir, 'images', 'deep')]) assert.equal(modeOf(p), 0o700, p);
    for (const p of [join(dir, 'deskstack.db'), join(dir, 'images', 'deep', 'img')]) assert.equal(modeOf(p), 0o600, p);
    assert.equal(modeOf(join(outside, 'theirs')), 0o644, 'a file behind a link is not DeskStack\'s to change');
    assert.deepEqual(tightenDataDir(dir), [], 'a second pass finds nothing to do');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('the database, its -wal and -shm are 0600 from creation, whatever the umask', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-perm-'));
  const saved = process.umask(0o022);
  try {
    const db = openDatabase(join(dir, 'deskstack.db'));
    db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['deskstack.db', 'deskstack.db-shm', 'deskstack.db-wal']);
    for (const f of files) assert.equal(modeOf(join(dir, f)), 0o600, f);
    db.close();
  } finally {
    process.umask(saved);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a control plane starting on a loose data folder tightens it and logs one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-perm-'));
  const saved = process.umask(0o022);
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
  try {
    const first = await createControlPlane({ dataDir: dir, adminPassword: 'perm-test-secret', logger: createLogger('silent') });
    await first.close();
    process.umask(0o022);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'deskstack.db'), 0o644);
    const cp = await createControlPlane({ dataDir: dir, adminPassword: 'perm-test-secret', logger: createLogger('warn', sink) });
    await cp.close();
    assert.equal(modeOf(dir), 0o700);
    assert.equal(modeOf(join(dir, 'deskstack.db')), 0o600);
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => /made them owner-only/.test(l.msg));
    assert.equal(warned.length, 1);
    assert.equal(warned[0].count, 2);
  } finally {
    process.umask(saved);
    rmSync(dir, { recursive: true, force: true });
  }
});
