// OpenSSH public keys without a dependency: generate an RSA pair the way Nova does, parse and
// check imported keys completely, and compute Nova's MD5 colon-hex fingerprint.
import { createHash, createPublicKey, generateKeyPair, type JsonWebKey } from 'node:crypto';
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

/** Reads the SSH wire format (RFC 4251): length-prefixed strings and mpints, nothing left over. */
class WireReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  string(): Buffer {
    if (this.at + 4 > this.buf.length) throw new Error('truncated');
    const len = this.buf.readUInt32BE(this.at);
    if (this.at + 4 + len > this.buf.length) throw new Error('truncated');
    const out = this.buf.subarray(this.at + 4, this.at + 4 + len);
    this.at += 4 + len;
    return out;
  }

  /** A non-negative mpint, without its sign byte. */
  mpint(): Buffer {
    const b = this.string();
    if (b.length && b[0] & 0x80) throw new Error('negative mpint');
    let i = 0;
    while (i < b.length && b[i] === 0) i++;
    return b.subarray(i);
  }

  end(): void {
    if (this.at !== this.buf.length) throw new Error('trailing bytes');
  }
}

/** RSA keys shorter than this are refused, as OpenSSH refuses them. */
export const MIN_RSA_BITS = 1024;

const CURVES: Record<string, { crv: string; size: number }> = {
  nistp256: { crv: 'P-256', size: 32 },
  nistp384: { crv: 'P-384', size: 48 },
  nistp521: { crv: 'P-521', size: 66 },
};

const b64u = (b: Buffer): string => b.toString('base64url');

/** A public key point the crypto library accepts (checks an EC point lies on its curve). */
function loadJwk(jwk: JsonWebKey): void {
  createPublicKey({ key: jwk, format: 'jwk' });
}

function checkEcdsa(r: WireReader, curveName: string): void {
  const curve = CURVES[curveName];
  if (!curve || r.string().toString() !== curveName) throw new Error('curve mismatch');
  const q = r.string();
  if (q.length !== 1 + 2 * curve.size || q[0] !== 0x04) throw new Error('bad point');
  loadJwk({ kty: 'EC', crv: curve.crv, x: b64u(q.subarray(1, 1 + curve.size)), y: b64u(q.subarray(1 + curve.size)) });
}

/** Parses the key blob of `type` completely; throws when anything is missing, extra or weak. */
function checkBlob(type: string, r: WireReader): void {
  switch (type) {
    case 'ssh-rsa': {
      const e = r.mpint();
      const n = r.mpint();
      const bits = n.length ? (n.length - 1) * 8 + (32 - Math.clz32(n[0])) : 0;
      if (bits < MIN_RSA_BITS) throw new Error('weak RSA');
      if (!e.length || (e[e.length - 1] & 1) === 0) throw new Error('bad exponent');
      loadJwk({ kty: 'RSA', n: b64u(n), e: b64u(e) });
      break;
    }
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      const pk = r.string();
      if (pk.length !== 32) throw new Error('bad ed25519 key');
      loadJwk({ kty: 'OKP', crv: 'Ed25519', x: b64u(pk) });
      if (type.startsWith('sk-')) r.string();
      break;
    }
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
      checkEcdsa(r, type.slice('ecdsa-sha2-'.length));
      break;
    case 'sk-ecdsa-sha2-nistp256@openssh.com':
      checkEcdsa(r, 'nistp256');
      r.string();
      break;
    case 'ssh-dss':
      for (let i = 0; i < 4; i++) if (!r.mpint().length) throw new Error('bad DSA key');
      break;
    default:
      throw new Error('unknown type');
  }
  r.end();
}

/**
 * Checks an OpenSSH public key line and returns Nova's MD5 fingerprint; 400 with Nova's wording
 * when it is not a complete, sound key (truncated blobs, trailing bytes, RSA under 1024 bits, EC points off the curve).
 */
export function fingerprintOf(publicKey: string): string {
  const invalid = () => badRequest('Keypair data is invalid: failed to generate fingerprint');
  const parts = publicKey.trim().split(/\s+/);
  if (parts.length < 2 || !KNOWN_TYPES.has(parts[0])) throw invalid();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(parts[1]) || parts[1].length % 4 !== 0) throw invalid();
  const blob = Buffer.from(parts[1], 'base64');
  try {
    const r = new WireReader(blob);
    if (r.string().toString() !== parts[0]) throw new Error('type mismatch');
    checkBlob(parts[0], r);
  } catch {
    throw invalid();
  }
  return md5Colon(blob);
}
