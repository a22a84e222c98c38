// Server name filters are regular expressions (Nova's re.search), matched by an NFA in linear time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeskError } from '../../main/core/errors';
import { compileNamePattern } from '../../main/compute/name-pattern';

const matches = (pattern: string, name: string) => compileNamePattern(pattern).test(name);

test('matches what Python’s re.search matches for the forms clients send', () => {
  const cases: Array<[string, string, boolean]> = [
    ['web', 'my-web-1', true],
    ['^web', 'my-web-1', false],
    ['^my', 'my-web-1', true],
    ['-1$', 'my-web-1', true],
    ['^.*\\-instance\\-[0-9]+$', 'tempest-a-instance-123', true],
    ['^.*\\-instance\\-[0-9]+$', 'tempest-a-instance-12x', false],
    ['^.*\\-instance\\-.*$', 'tempest-a-instance-', true],
    ['a|b', 'xbx', true],
    ['^(foo|bar)-\\d{2,3}$', 'bar-123', true],
    ['^(foo|bar)-\\d{2,3}$', 'bar-1234', false],
    ['[^a-z]', 'abc', false],
    ['[^a-z]', 'ab1', true],
    ['colou?r', 'color', true],
    ['x*', '', true],
    ['^$', '', true],
    ['\\.', 'a.b', true],
    ['\\.', 'ab', false],
    ['(?:ab)+c', 'xababc', true],
    ['ü', 'grüße', true],
  ];
  for (const [p, name, want] of cases) assert.equal(matches(p, name), want, `${p} on ${name}`);
});

test('patterns that make backtracking engines explode answer at once', () => {
  const evil = '(a+)+$';
  const name = 'a'.repeat(250) + 'b';
  assert.equal(matches(evil, name), false);
  assert.equal(matches('(.*a){20}', 'a'.repeat(255)), true);
  assert.equal(matches('(x+x+)+y', 'x'.repeat(255)), false);
});

test('features without a linear-time meaning are refused with a 400', () => {
  for (const p of ['(a)\\1', '(?=a)', '(?!a)', 'a{1000}', '(abc', '[abc', '*a', 'a\\']) {
    assert.throws(() => compileNamePattern(p), (e: unknown) => e instanceof DeskError && e.code === 'BadRequest' && /^Invalid name filter/.test(e.message), p);
  }
});
