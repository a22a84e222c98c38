import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '../core/errors';

const KEY_FILE = 'credential.key';
const VERSION = 'v1';

/**
 * Seals credential blobs (EC2 secrets and the like, which must be handed back) with AES-256-GCM under a
 * key kept in its own file beside the database, so a copied database alone holds no usable secret.
 */
export class SecretBox {
  private key: Buffer | null = null;

  constructor(private readonly dataDir: string) {}

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.loadKey(), iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  open(sealed: string): string {
    const [v, iv, tag, data] = sealed.split(':');
    try {
      if (v !== VERSION) throw new Error('unknown version');
      const decipher = createDecipheriv('aes-256-gcm', this.loadKey(), Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new DeskError('Internal', `A stored credential could not be decrypted: ${join(this.dataDir, KEY_FILE)} is not the key it was sealed with.`);
    }
  }

  // Created on first use, written to a temporary name and renamed, readable by the owner only.
  private loadKey(): Buffer {
    if (this.key) return this.key;
    const file = join(this.dataDir, KEY_FILE);
    if (!existsSync(file)) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, randomBytes(32).toString('base64'), { mode: 0o600 });
      renameSync(tmp, file);
    }
    chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new DeskError('Internal', `${file} is damaged: it must hold a 32-byte key in base64.`);
    this.key = key;
    return key;
  }
}
