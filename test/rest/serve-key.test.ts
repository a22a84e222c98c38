// `deskstack serve` says at start when DeskStack's SSH key is stored unencrypted and how to seal it,
// and seals an existing clear key when started with DESKSTACK_KEY_PASSPHRASE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateIdentity } from '../../main/hosts/ssh-identity';
import { startServeProcess } from '../helpers/serve-process';

test('serve warns about a clear SSH key with the fix, and seals it when given a passphrase', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-serve-key-'));
  try {
    const clear = loadOrCreateIdentity(dataDir, undefined);
    const env = { DESKSTACK_ADMIN_PASSWORD: 'serve-key-secret', DESKSTACK_KEY_PASSPHRASE: '' };
    const warned = await startServeProcess({ dataDir, env });
    await warned.stop();
    assert.match(warned.output(), /warning: DeskStack's SSH key \S+deskstack_ed25519 is stored unencrypted .*restart with DESKSTACK_KEY_PASSPHRASE set/);

    const sealing = await startServeProcess({ dataDir, env: { ...env, DESKSTACK_KEY_PASSPHRASE: 'seal-it-now' } });
    await sealing.stop();
    assert.doesNotMatch(sealing.output(), /warning: DeskStack's SSH key/);
    assert.deepEqual(readdirSync(join(dataDir, 'keys')).sort(), ['deskstack_ed25519.pub', 'deskstack_ed25519.sealed']);
    assert.equal(loadOrCreateIdentity(dataDir, 'seal-it-now').privateKey, clear.privateKey);

    const locked = await startServeProcess({ dataDir, env });
    await locked.stop();
    assert.match(locked.output(), /warning: DeskStack's SSH key \S+ is encrypted and DESKSTACK_KEY_PASSPHRASE is not set/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
