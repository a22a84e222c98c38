import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { safeStorage } from 'electron';

/**
 * The passphrase that seals DeskStack's SSH private key at rest, itself kept by the OS keychain
 * through safeStorage. Returns undefined where no keychain is available (the key then stays 0600 only).
 */
export function keyPassphrase(file: string): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (existsSync(file)) return safeStorage.decryptString(readFileSync(file));
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, safeStorage.encryptString(secret), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return secret;
}
