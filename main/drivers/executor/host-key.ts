// Host keys and DeskStack's own key: fingerprints as OpenSSH prints them, first-contact probing
// (trust on first use shows the fingerprint before anything is sent), and key-pair generation.
import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import { DeskError } from '../../core/errors';

const { Client, utils } = ssh2; // ssh2 is CommonJS: named imports do not resolve under ESM

/** `SHA256:<base64 without padding>` of a raw SSH public key blob, like `ssh-keygen -l`. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside an SSH public key blob (its first length-prefixed string), e.g. "ssh-ed25519". */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && len < 64 && keyBlob.length >= 4 + len ? keyBlob.subarray(4, 4 + len).toString('latin1') : 'unknown';
}

/** Accepts `SHA256:…` with or without base64 padding; returns the canonical form or undefined. */
export function normalizeFingerprint(text: string): string | undefined {
  const m = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(text.trim());
  return m ? `SHA256:${m[1]}` : undefined;
}

export interface ProbedHostKey {
  fingerprint: string;
  keyType: string;
}

/** Connects just far enough to see the host's key, then hangs up; nothing is authenticated or sent. */
export function probeHostKey(opts: { host: string; port?: number; timeoutMs?: number }): Promise<ProbedHostKey> {
  const port = opts.port ?? 22;
  const where = `host ${opts.host}:${port}`;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let seen: ProbedHostKey | undefined;
    const finish = (err?: Error): void => {
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end();
      if (seen) resolve(seen);
      else reject(err ?? new DeskError('Unavailable', `${where}: no host key was offered`));
    };
    client.once('error', (err: Error & { level?: string; code?: string }) => {
      if (seen) return finish();
      finish(new DeskError('Unavailable', `${where}: cannot reach its SSH server (${err.code ?? err.message}) — check the address and port, and that sshd runs`));
    });
    client.once('ready', () => finish());
    client.once('close', () => finish());
    client.connect({
      host: opts.host,
      port,
      username: 'deskstack-probe',
      readyTimeout: opts.timeoutMs ?? 15_000,
      hostVerifier: (key: Buffer) => {
        seen = { fingerprint: fingerprintOf(key), keyType: keyTypeOf(key) };
        return false; // stop here: we only wanted the key
      },
    });
  });
}

export interface DeskKeyPair {
  /** OpenSSH private key (PEM-like text); store it encrypted. */
  privateKey: string;
  /** The `ssh-ed25519 AAAA… comment` line for authorized_keys. */
  publicKey: string;
  fingerprint: string;
}

/** A fresh ed25519 key pair in OpenSSH format: DeskStack's own key, installed on each host. */
export function generateDeskKeyPair(comment = 'deskstack'): DeskKeyPair {
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  const publicKey = pair.public.trim();
  const blob = Buffer.from(publicKey.split(/\s+/)[1] ?? '', 'base64');
  return { privateKey: pair.private, publicKey, fingerprint: fingerprintOf(blob) };
}
