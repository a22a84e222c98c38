// OpenSSH public keys without a dependency: generate an RSA pair the way Nova does, parse
// imported keys enough to fingerprint them, and compute Nova's MD5 colon-hex fingerprint.
import { createHash, generateKeyPair } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { badRequest } from '../core/errors';
import { Semaphore } from '../core/semaphore';

const KNOWN_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

/** An mpint: big-endian, with a leading zero byte when the top bit is set. */
function sshMpint(buf: Buffer): Buffer {
  let b = buf;
  while (b.length > 1 && b[0] === 0 && (b[1] & 0x80) === 0) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

const md5Colon = (blob: Buffer): string =>
  createHash('md5')
    .update(blob)
    .digest('hex')
    .match(/.{2}/g)!
    .join(':');

export interface GeneratedKey {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

const generateRsa = promisify(generateKeyPair);

// RSA generation is the costliest thing a request can ask for (~0.1–1 s of CPU). Unbounded, a burst
// takes every libuv pool thread (logins' scrypt and file I/O wait behind it) and every core (the
// event loop starves): one per spare core, never all four pool threads; the rest wait their turn in order.
const keygenSlots = new Semaphore(Math.max(1, Math.min(3, availableParallelism() - 1)));

/**
 * A fresh 2048-bit RSA pair: private key as PEM (PKCS#1, as Nova returns it), public key in OpenSSH form.
 * Generated on libuv's thread pool with bounded concurrency, so the event loop keeps serving other requests.
 */
export async function generateSshKey(comment = 'Generated-by-Nova'): Promise<GeneratedKey> {
  const pair = await keygenSlots.use(() => generateRsa('rsa', { modulusLength: 2048 }));
  const jwk = pair.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const privateKey = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const blob = Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    sshMpint(Buffer.from(jwk.e, 'base64url')),
    sshMpint(Buffer.from(jwk.n, 'base64url')),
  ]);
  return {
    publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`,
    privateKey,
    fingerprint: md5Colon(blob),
  };
}

/** Checks an OpenSSH public key line and returns its fingerprint; 400 with Nova's wording when it is not one. */
export function fingerprintOf(publicKey: string): string {
  const invalid = () => badRequest('Keypair data is invalid: failed to generate fingerprint');
  const parts = publicKey.trim().split(/\s+/);
  if (parts.length < 2 || !KNOWN_TYPES.has(parts[0])) throw invalid();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(parts[1])) throw invalid();
  const blob = Buffer.from(parts[1], 'base64');
  if (blob.length < 4) throw invalid();
  const typeLen = blob.readUInt32BE(0);
  if (typeLen > blob.length - 4 || blob.subarray(4, 4 + typeLen).toString() !== parts[0]) throw invalid();
  return md5Colon(blob);
}
