// The one quoting helper, checked the only way that counts: a real /bin/sh gets back exactly the argv.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DeskError } from '../../main/core/errors';
import { quoteArgv, quoteWord } from '../../main/drivers/executor/shell-quote';

const run = promisify(execFile);

/** Runs `printf '%s\0' <quoted words>` through /bin/sh and returns the words it received. */
async function throughShell(words: string[]): Promise<string[]> {
  const line = `printf '%s\\0' ${quoteArgv(words)}`;
  const { stdout } = await run('/bin/sh', ['-c', line], { encoding: 'buffer' });
  const parts = (stdout as Buffer).toString('utf8').split('\0');
  assert.equal(parts.pop(), '', 'output ends with a NUL');
  return parts;
}

describe('quoteArgv', () => {
  const marker = join(tmpdir(), `deskstack-pwned-${randomUUID()}`);
  const hostile = [
    `x'; touch ${marker}; '`,
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `a\ntouch ${marker}\n`,
    `a'b"c`,
    '../../etc',
    'héllo wörld ✓ 日本',
    '',
    '-rf',
    '~root',
    '*',
    '$HOME',
    "''",
    "'",
    '\\',
    '!x',
    '; rm -rf / #',
    'a b\tc',
    '> /tmp/out',
    '&& true',
    '${IFS}',
  ];

  it('round-trips hostile words byte for byte through /bin/sh and runs nothing', async () => {
    assert.deepEqual(await throughShell(hostile), hostile);
    for (const w of hostile) assert.deepEqual(await throughShell([w]), [w]);
    assert.equal(existsSync(marker), false, 'no quoted word was executed');
  });

  it('round-trips every byte value but NUL', async () => {
    const all = Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).join('');
    assert.deepEqual(await throughShell([all, 'x']), [all, 'x']);
  });

  it('leaves plain words readable and quotes everything else', () => {
    assert.equal(quoteArgv(['virsh', '-c', 'qemu:///system', 'start', 'a-b_c.d']), 'virsh -c qemu:///system start a-b_c.d');
    assert.equal(quoteWord(''), "''");
    assert.equal(quoteWord("a'b"), `'a'\\''b'`);
    assert.equal(quoteWord('~'), "'~'");
  });

  it('refuses NUL bytes and an empty argv with a DeskError', () => {
    assert.throws(() => quoteArgv(['echo', 'a\0b']), (e) => e instanceof DeskError && e.code === 'BadRequest' && /NUL/.test(e.message));
    assert.throws(() => quoteArgv([]), (e) => e instanceof DeskError && /empty command/.test(e.message));
  });
});
