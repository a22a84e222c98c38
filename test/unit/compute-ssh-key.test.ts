// Imported public keys are parsed completely: real keys of every kind pass with OpenSSH's MD5
// fingerprint; truncated, padded, mislabelled, off-curve and weak keys are refused as Nova refuses them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeskError } from '../../main/core/errors';
import { fingerprintOf, generateSshKey } from '../../main/compute/ssh-key';

const refused = (key: string) =>
  assert.throws(
    () => fingerprintOf(key),
    (e: unknown) => e instanceof DeskError && e.code === 'BadRequest' && e.message === 'Keypair data is invalid: failed to generate fingerprint',
    key.slice(0, 60),
  );

/** A key line with the blob built from parts (SSH wire strings). */
function keyLine(type: string, ...fields: Buffer[]): string {
  const parts = [Buffer.from(type), ...fields].map((b) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  });
  return `${type} ${Buffer.concat(parts).toString('base64')} test`;
}

test('real keys from ssh-keygen are accepted with the fingerprint ssh-keygen prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-keys-'));
  try {
    for (const [type, bits] of [['rsa', '2048'], ['ed25519', ''], ['ecdsa', '256'], ['ecdsa', '384'], ['ecdsa', '521']]) {
      const file = join(dir, `${type}${bits}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', '', '-C', 'me@desk', '-f', file]);
      const pub = readFileSync(`${file}.pub`, 'utf8');
      const expected = execFileSync('ssh-keygen', ['-l', '-E', 'md5', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1].replace(/^MD5:/, '');
      assert.equal(fingerprintOf(pub), expected, `${type} ${bits}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generated keys pass their own check', async () => {
  const k = await generateSshKey();
  assert.equal(fingerprintOf(k.publicKey), k.fingerprint);
});

test('truncated, padded, mislabelled, weak and off-curve keys are refused', async () => {
  const good = (await generateSshKey()).publicKey;
  const [type, blob] = good.split(' ');
  const raw = Buffer.from(blob, 'base64');
  refused(`${type} ${raw.subarray(0, raw.length - 10).toString('base64')}`);
  refused(`${type} ${Buffer.concat([raw, Buffer.from([0, 0, 0, 0])]).toString('base64')}`);
  refused(`ssh-ed25519 ${blob}`);
  refused(`${type} ${blob.slice(0, -4)}`);
  refused('ssh-rsa');
  refused("a'b\"c d");

  // RSA with a 1-byte modulus, and a 768-bit one: both weak.
  refused(keyLine('ssh-rsa', Buffer.from([1, 0, 1]), Buffer.from([0x7f])));
  refused(keyLine('ssh-rsa', Buffer.from([1, 0, 1]), Buffer.concat([Buffer.from([0x00, 0xc1]), Buffer.alloc(95, 0x55)])));
  // An ed25519 key of the wrong length, and an EC point that is not on P-256.
  refused(keyLine('ssh-ed25519', Buffer.alloc(31, 7)));
  refused(keyLine('ecdsa-sha2-nistp256', Buffer.from('nistp256'), Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)])));
  refused(keyLine('ecdsa-sha2-nistp256', Buffer.from('nistp384'), Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)])));
});
