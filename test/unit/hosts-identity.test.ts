// DeskStack's own SSH key: made once, owner-only on disk, sealed when a passphrase is set (one config path).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createControlPlane } from '../../main/control-plane';
import { DeskError } from '../../main/core/errors';
import { createLogger } from '../../main/core/log';
import { loadConfig } from '../../main/core/config';
import { loadOrCreateIdentity, sealKeyAtStart } from '../../main/hosts/ssh-identity';

describe('ssh identity', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'deskstack-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates an ed25519 pair once, private key 0600, and reuses it', () => {
    const a = loadOrCreateIdentity(dir, undefined);
    assert.match(a.publicKey, /^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ deskstack@\S+$/);
    const priv = join(dir, 'keys', 'deskstack_ed25519');
    assert.equal(statSync(priv).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'keys')).mode & 0o777, 0o700);
    const b = loadOrCreateIdentity(dir, undefined);
    assert.equal(b.privateKey, a.privateKey);
    // OpenSSH itself reads the key and derives the same public key.
    const derived = execFileSync('ssh-keygen', ['-y', '-f', priv], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ');
    assert.equal(derived, a.publicKey.split(' ').slice(0, 2).join(' '));
  });

  it('seals the key with a passphrase and refuses a wrong or missing one', () => {
    const clear = loadOrCreateIdentity(dir, undefined);
    const sealed = loadOrCreateIdentity(dir, 'correct horse');
    assert.equal(sealed.privateKey, clear.privateKey, 'an existing clear key is sealed in place');
    assert.deepEqual(readdirSync(join(dir, 'keys')).sort(), ['deskstack_ed25519.pub', 'deskstack_ed25519.sealed']);
    const file = readFileSync(join(dir, 'keys', 'deskstack_ed25519.sealed'), 'utf8');
    assert.ok(!file.includes('OPENSSH') && !file.includes(clear.privateKey.split('\n')[1]), 'no clear key bytes at rest');
    assert.equal(statSync(join(dir, 'keys', 'deskstack_ed25519.sealed')).mode & 0o777, 0o600);
    assert.equal(loadOrCreateIdentity(dir, 'correct horse').privateKey, clear.privateKey);
    assert.throws(() => loadOrCreateIdentity(dir, 'wrong'), (e: unknown) => e instanceof DeskError && /DESKSTACK_KEY_PASSPHRASE/.test(e.message));
    assert.throws(() => loadOrCreateIdentity(dir, undefined), (e: unknown) => e instanceof DeskError && /encrypted; set DESKSTACK_KEY_PASSPHRASE/.test(e.message));
  });

  it('a fresh key with a passphrase is never written in clear', () => {
    const k = loadOrCreateIdentity(dir, 'pw');
    assert.deepEqual(readdirSync(join(dir, 'keys')).sort(), ['deskstack_ed25519.pub', 'deskstack_ed25519.sealed']);
    assert.equal(loadOrCreateIdentity(dir, 'pw').publicKey, k.publicKey);
  });

  it("takes the control plane's keyPassphrase option, without putting it into the environment", async () => {
    const saved = process.env.DESKSTACK_KEY_PASSPHRASE;
    delete process.env.DESKSTACK_KEY_PASSPHRASE;
    const cp = await createControlPlane({ dataDir: dir, adminPassword: 'identity-test-secret', keyPassphrase: 'from-the-keychain', logger: createLogger('silent') });
    try {
      const k = cp.hosts.identity();
      assert.equal(process.env.DESKSTACK_KEY_PASSPHRASE, undefined, 'children must not inherit the passphrase');
      assert.deepEqual(readdirSync(join(dir, 'keys')).sort(), ['deskstack_ed25519.pub', 'deskstack_ed25519.sealed']);
      assert.equal(loadOrCreateIdentity(dir, 'from-the-keychain').privateKey, k.privateKey);
    } finally {
      await cp.close();
      if (saved !== undefined) process.env.DESKSTACK_KEY_PASSPHRASE = saved;
    }
  });
});

describe('the key passphrase has one config path', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'deskstack-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loadConfig reads DESKSTACK_KEY_PASSPHRASE once; an explicit passphrase (the keychain) wins', () => {
    const saved = process.env.DESKSTACK_KEY_PASSPHRASE;
    try {
      process.env.DESKSTACK_KEY_PASSPHRASE = 'from-the-env';
      assert.equal(loadConfig({ dataDir: dir }).keyPassphrase, 'from-the-env');
      assert.equal(loadConfig({ dataDir: dir, keyPassphrase: 'from-the-keychain' }).keyPassphrase, 'from-the-keychain');
      delete process.env.DESKSTACK_KEY_PASSPHRASE;
      assert.equal(loadConfig({ dataDir: dir }).keyPassphrase, undefined);
    } finally {
      if (saved !== undefined) process.env.DESKSTACK_KEY_PASSPHRASE = saved;
      else delete process.env.DESKSTACK_KEY_PASSPHRASE;
    }
  });

  it('nothing but loadConfig reads the variable', () => {
    const root = join(import.meta.dirname, '..', '..', 'main');
    const readers = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /process\.env(\.DESKSTACK_KEY_PASSPHRASE|\[['"]DESKSTACK_KEY_PASSPHRASE)/.test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(readers, [join('core', 'config.ts')]);
  });

  it('a clear key is sealed when the control plane starts with a passphrase, before any host is reached', async () => {
    const clear = loadOrCreateIdentity(dir, undefined);
    assert.deepEqual(sealKeyAtStart(dir, undefined), { state: 'clear', sealedNow: false });
    const cp = await createControlPlane({ dataDir: dir, adminPassword: 'identity-test-secret', keyPassphrase: 'now-sealed', logger: createLogger('silent') });
    try {
      assert.equal(cp.keyAtRest, 'sealed');
      assert.deepEqual(readdirSync(join(dir, 'keys')).sort(), ['deskstack_ed25519.pub', 'deskstack_ed25519.sealed']);
      assert.equal(loadOrCreateIdentity(dir, 'now-sealed').privateKey, clear.privateKey);
    } finally {
      await cp.close();
    }
  });
});
