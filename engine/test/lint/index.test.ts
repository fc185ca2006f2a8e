import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { allRules, effectiveSeverities, isDeployable, lintSchema, type Severity, type Violation } from '../../src/lint/index.js';
import { col, schema, table } from './build.js';

test('rule codes are unique, kebab-case, and each rule is fully described', () => {
  const rules = allRules();
  const codes = rules.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const r of rules) {
    assert.match(r.code, /^[a-z]+(-[a-z0-9]+)*$/);
    assert.ok(r.name && r.description, r.code);
  }
  // A rule is off by default only when the engine makes it moot; foreign-key is the one (docs/lint-rules.md#foreign-key).
  assert.deepEqual(rules.filter((r) => r.defaultSeverity === 'off').map((r) => r.code), ['foreign-key']);
  assert.deepEqual(
    rules.filter((r) => r.scope === 'change').map((r) => r.code),
    ['destructive-change', 'data-dependent-change', 'needs-decision-change'],
  );
});

test('docs/lint-rules.md has a section, with the default severity, for every rule', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'lint-rules.md'), 'utf8');
  for (const r of allRules()) {
    const at = doc.indexOf(`\n## ${r.code}\n`);
    assert.ok(at >= 0, `missing "## ${r.code}" heading (anchor #${r.code})`);
    const next = doc.indexOf('\n## ', at + 1);
    const section = doc.slice(at, next < 0 ? undefined : next);
    assert.match(section, new RegExp(`Default severity: \\*\\*${r.defaultSeverity}\\*\\*`), r.code);
  }
});

test('an unknown code or severity in the config is refused with the valid ones', () => {
  assert.throws(() => lintSchema(schema(), { severity: { 'no-primary-keys': 'off' } }), (err: Error) => {
    assert.match(err.message, /Unknown lint rule "no-primary-keys"/);
    assert.match(err.message, /no-primary-key, foreign-key, charset-allowlist/);
    return true;
  });
  assert.throws(() => effectiveSeverities({ severity: { 'foreign-key': 'fatal' as Severity } }), /Use one of: error, warning, info, off/);
});

test('overrides can raise, lower and switch off; info is kept', () => {
  const t = table('t', [col('f', 'float')]);
  const codes = (v: Violation[]) => v.map((x) => `${x.code}:${x.severity}`).sort();
  assert.deepEqual(codes(lintSchema(schema(t))), ['float-double:warning', 'no-primary-key:error']);
  assert.deepEqual(codes(lintSchema(schema(t), { severity: { 'float-double': 'info', 'no-primary-key': 'off' } })), ['float-double:info']);
  assert.deepEqual(codes(lintSchema(schema(t), { severity: { 'float-double': 'error' } })), ['float-double:error', 'no-primary-key:error']);
});

test('nolint silences only the named codes of its own table; "all" silences every rule', () => {
  const a = table('a', [col('f', 'float')], { nolint: ['float-double'] });
  const b = table('b', [col('f', 'float')]);
  const c = table('c', [col('f', 'float')], { nolint: ['all'] });
  const found = lintSchema(schema(a, b, c)).map((v) => `${v.table}:${v.code}`);
  assert.deepEqual(found.sort(), ['a:no-primary-key', 'b:float-double', 'b:no-primary-key']);
});

test('deployable means no error-level violation', () => {
  const v = (severity: Violation['severity']): Violation => ({ code: 'x', severity, message: '' });
  assert.equal(isDeployable([]), true);
  assert.equal(isDeployable([v('warning'), v('info')]), true);
  assert.equal(isDeployable([v('warning'), v('error')]), false);
});
