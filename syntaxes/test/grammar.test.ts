import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const grammar = join(root, 'syntaxes', 'mysql-ddl.tmLanguage.json');
const runner = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

function runFixtures(glob: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [runner, '-g', grammar, glob], { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('every grammar fixture passes vscode-tmgrammar-test', () => {
  const fixtures = readdirSync(join(root, 'syntaxes', 'test', 'fixtures')).filter((f) => f.endsWith('.test.sql'));
  assert.ok(fixtures.length >= 2, 'fixtures are missing');
  const { status, output } = runFixtures('syntaxes/test/fixtures/*.test.sql');
  assert.equal(status, 0, output);
  for (const f of fixtures) assert.match(output, new RegExp(`✓ syntaxes/test/fixtures/${f.replace('.', '\\.')}`), output);
});

test('a wrong scope assertion fails the run (the fixtures can catch a regression)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-grammar-'));
  try {
    const file = join(dir, 'wrong.test.sql');
    writeFileSync(file, ['-- SYNTAX TEST "source.sql.mysql-ddl"', '-- schemabranch:nolint float-double', '--    ^^^^^^ comment.line.double-dash.sql - comment.line.double-dash.nolint.schemabranch', ''].join('\n'));
    const { status, output } = runFixtures(file);
    assert.notEqual(status, 0, output);
    assert.match(output, /prohibited scopes: comment\.line\.double-dash\.nolint\.schemabranch/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('package.json contributes the grammar for the schemabranch-sql language', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { languages: { id: string; filenamePatterns?: string[] }[]; grammars: { language: string; scopeName: string; path: string }[] };
  };
  const g = JSON.parse(readFileSync(grammar, 'utf8')) as { scopeName: string };
  const contributed = pkg.contributes.grammars.find((x) => x.language === 'schemabranch-sql');
  assert.deepEqual(contributed, { language: 'schemabranch-sql', scopeName: g.scopeName, path: './syntaxes/mysql-ddl.tmLanguage.json' });
  assert.deepEqual(pkg.contributes.languages.find((l) => l.id === 'schemabranch-sql')?.filenamePatterns, ['**/schema/**/*.sql']);
});
