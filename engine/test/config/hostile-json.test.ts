/**
 * Hostile schemabranch.json files: nesting that would overflow a recursive reader, and
 * sizes that made locating every value quadratic. Correctness only; speed is measured by
 * `npm run bench -- hostile`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonSyntaxError, MAX_JSON_NESTING, parseLocatedJson } from '../../src/config/json.js';
import { checkWorkspaceConfig } from '../../src/config/load.js';
import { hostileConfigs } from '../../../test/support/hostile-inputs.js';

test('100,000 nested arrays or objects: a syntax error at the level past the limit, no stack overflow', () => {
  for (const name of ['deep arrays', 'deep objects']) {
    const text = hostileConfigs[name](100_000);
    assert.throws(
      () => parseLocatedJson(text),
      (err: unknown) => err instanceof JsonSyntaxError && err.reason === `Nesting deeper than ${MAX_JSON_NESTING} levels`,
      name,
    );
    const problems = checkWorkspaceConfig(text);
    assert.equal(problems.length, 1, name);
    const unit = name === 'deep arrays' ? 1 : '{"a":'.length;
    assert.deepEqual([problems[0].line, problems[0].column], [1, MAX_JSON_NESTING * unit + 1], name);
  }
});

test('nesting up to the limit is read', () => {
  const depth = MAX_JSON_NESTING;
  const located = parseLocatedJson('{"lint": ' + '['.repeat(depth - 1) + ']'.repeat(depth - 1) + '}');
  assert.deepEqual(located.positions.get('lint'), { line: 1, column: 10 });
});

test('20,000 unknown keys: each reported at its own line', () => {
  const problems = checkWorkspaceConfig(hostileConfigs['many keys'](20_000));
  assert.equal(problems.length, 20_000);
  assert.deepEqual([problems[19_999].path, problems[19_999].line, problems[19_999].column], ['key19999', 20_001, 3]);
});

test('an array of 300,000 wrong values is validated without overflowing the stack', () => {
  const problems = checkWorkspaceConfig(hostileConfigs['long number array'](300_000));
  assert.equal(problems.length, 300_000);
  assert.equal(problems[299_999].path, 'lint.charsets[299999]');
});

test('numbers are read where they are, not from a copy of the rest of the file', () => {
  const located = parseLocatedJson('[1, -2.5e3, 0, 7]');
  assert.deepEqual(located.value, [1, -2500, 0, 7]);
  assert.throws(() => parseLocatedJson('[01]'), /Expected "," or "\]"/);
});
