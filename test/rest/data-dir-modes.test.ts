// Everything `deskstack serve` writes into its data folder is owner-only: the database and its WAL,
// image files, the demo rack's state, the lock — 0600 files in 0700 folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../helpers/api-client';
import { startServeProcess } from '../helpers/serve-process';

function modes(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const st = lstatSync(join(dir, name));
    out.push([name, (st.mode & 0o777).toString(8)]);
  }
  return [['.', (lstatSync(dir).mode & 0o777).toString(8)], ...out];
}

test('serve writes its data folder owner-only, whatever the umask it was started with', { timeout: 120_000 }, async () => {
  const parent = mkdtempSync(join(tmpdir(), 'deskstack-modes-'));
  const dataDir = join(parent, 'data');
  const serve = await startServeProcess({ dataDir, demo: true, env: { DESKSTACK_ADMIN_PASSWORD: 'modes-secret', DESKSTACK_FAKE_DELAY_SCALE: '0' } });
  try {
    const api = await ApiClient.login(serve.url, 'modes-secret');
    await api.uploadImage('modes-image', Buffer.alloc(4096, 1), 'raw');
    const net = (await api.rest('GET', '/network/v2.0/networks?name=private')).body.networks[0].id;
    const image = (await api.rest('GET', '/image/v2/images?name=cirros-0.3.4-x86_64-uec')).body.images[0].id;
    const r = await api.rest('POST', '/compute/v2.1/servers', { server: { name: 'm', imageRef: image, flavorRef: '1', networks: [{ uuid: net }] } });
    assert.equal(r.status, 202);
    // Two listings apart, so the WAL and the rack's state file have been written.
    await api.rest('GET', '/compute/v2.1/servers/detail');
    const seen = modes(dataDir);
    const names = seen.map(([n]) => n);
    for (const f of ['deskstack.db', 'deskstack.db-wal', 'deskstack.db-shm', 'deskstack.lock', 'images']) assert.ok(names.includes(f), `${f} in ${names.join(', ')}`);
    assert.ok(names.some((n) => n.startsWith('images/')), 'an image file is there');
    for (const [name, mode] of seen) {
      const isDir = lstatSync(join(dataDir, name)).isDirectory();
      assert.equal(mode, isDir ? '700' : '600', `${name} is ${mode}`);
    }
  } finally {
    await serve.stop();
    rmSync(parent, { recursive: true, force: true });
  }
});
