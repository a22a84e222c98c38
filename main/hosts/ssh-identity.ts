// DeskStack's own SSH identity: one Ed25519 key pair made on first use under <dataDir>/keys/.
// The private key never reaches a log line. At rest it is 0600 and, given Config.keyPassphrase
// (the OS keychain's in the app, DESKSTACK_KEY_PASSPHRASE for serve), sealed with AES-256-GCM
// under a scrypt-derived key.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DeskError } from '../core/errors';
import { generateDeskKeyPair } from '../drivers/executor/host-key';

export interface SshIdentity {
  /** `ssh-ed25519 AAAA… deskstack@<machine>`, what goes into a host's authorized_keys. */
  publicKey: string;
  /** OpenSSH PEM; keep in memory only. */
  privateKey: string;
}

interface SealedKey {
  v: 1;
  kdf: 'scrypt';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

const PRIVATE_FILE = 'deskstack_ed25519';
const SEALED_FILE = 'deskstack_ed25519.sealed';
const PUBLIC_FILE = 'deskstack_ed25519.pub';

const derive = (passphrase: string, salt: Buffer): Buffer => scryptSync(passphrase, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });

function seal(plain: string, passphrase: string): SealedKey {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(passphrase, salt), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { v: 1, kdf: 'scrypt', salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function unseal(sealed: SealedKey, passphrase: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(passphrase, Buffer.from(sealed.salt, 'base64')), Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new DeskError('Unavailable', "DeskStack's SSH key could not be decrypted: DESKSTACK_KEY_PASSPHRASE is not the one it was sealed with; set the right one.");
  }
}

/** Writes atomically with owner-only permissions from the first byte. */
function writePrivate(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Replaces the clear private key file by its sealed form. */
function sealInPlace(clearPath: string, sealedPath: string, privateKey: string, passphrase: string): void {
  writePrivate(sealedPath, JSON.stringify(seal(privateKey, passphrase)));
  writeFileSync(clearPath, Buffer.alloc(privateKey.length)); // overwrite before unlinking so the clear bytes do not linger
  rmSync(clearPath);
}

/** How DeskStack's private key is kept on disk: not made yet, in clear (0600 only), or sealed. */
export type KeyAtRest = 'none' | 'clear' | 'sealed';

/**
 * Checked at start: with a passphrase, a clear key is sealed now (not only when a host is next
 * reached). Returns how the key is kept afterwards, so serve can warn about a clear one.
 */
export function sealKeyAtStart(dataDir: string, passphrase: string | undefined): { state: KeyAtRest; sealedNow: boolean } {
  const dir = join(dataDir, 'keys');
  if (existsSync(join(dir, SEALED_FILE))) return { state: 'sealed', sealedNow: false };
  const clearPath = join(dir, PRIVATE_FILE);
  if (!existsSync(clearPath)) return { state: 'none', sealedNow: false };
  if (!passphrase) return { state: 'clear', sealedNow: false };
  sealInPlace(clearPath, join(dir, SEALED_FILE), readFileSync(clearPath, 'utf8'), passphrase);
  return { state: 'sealed', sealedNow: true };
}

/**
 * Loads DeskStack's key pair, creating it on first use. With a passphrase the key is kept sealed;
 * an unsealed key found while a passphrase is set is sealed in place (and the clear file removed).
 */
export function loadOrCreateIdentity(dataDir: string, passphrase: string | undefined): SshIdentity {
  const dir = join(dataDir, 'keys');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const clearPath = join(dir, PRIVATE_FILE);
  const sealedPath = join(dir, SEALED_FILE);
  const publicPath = join(dir, PUBLIC_FILE);
  const pass = passphrase && passphrase.length > 0 ? passphrase : undefined;

  if (existsSync(sealedPath)) {
    if (!pass) throw new DeskError('Unavailable', `DeskStack's SSH key in ${dir} is encrypted; set DESKSTACK_KEY_PASSPHRASE to unlock it.`);
    const privateKey = unseal(JSON.parse(readFileSync(sealedPath, 'utf8')) as SealedKey, pass);
    return { privateKey, publicKey: readFileSync(publicPath, 'utf8').trim() };
  }
  if (existsSync(clearPath)) {
    const privateKey = readFileSync(clearPath, 'utf8');
    const publicKey = readFileSync(publicPath, 'utf8').trim();
    if (pass) sealInPlace(clearPath, sealedPath, privateKey, pass);
    return { privateKey, publicKey };
  }
  const machine = hostname().replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40) || 'desk';
  const { publicKey, privateKey } = generateDeskKeyPair(`deskstack@${machine}`);
  const pair = { publicKey, privateKey };
  if (pass) writePrivate(sealedPath, JSON.stringify(seal(pair.privateKey, pass)));
  else writePrivate(clearPath, pair.privateKey);
  // Owner-only like everything in the data folder (the folder is 0700 anyway).
  writeFileSync(publicPath, `${pair.publicKey}\n`, { mode: 0o600 });
  return pair;
}
