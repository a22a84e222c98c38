import assert from 'node:assert/strict';
import { DeskError } from '../../main/core/errors';

/** Awaits p and asserts it failed with a DeskError of this code (and message pattern); returns the error. */
export async function rejectsWith(p: Promise<unknown>, code: string, match?: RegExp): Promise<DeskError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DeskError, `expected a DeskError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (match) assert.match(err.message, match);
    return err;
  }
  assert.fail(`expected ${code}`);
}
