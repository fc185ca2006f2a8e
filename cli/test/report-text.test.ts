/** The CI formats as exact strings: GitHub workflow commands and the pull-request comment. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaChange } from '../../engine/src/diff/change.js';
import type { Violation } from '../../engine/src/lint/index.js';
import { findingsOf, repositoryPath } from '../src/report/findings.js';
import { annotation, escapeData, escapeProperty } from '../src/report/github.js';
import { diffMarkdown, fenced, inlineText } from '../src/report/markdown.js';

const range = (line: number, start: number, end: number) => ({ start: { line, character: start, offset: 0 }, end: { line, character: end, offset: 0 } });

test('github: messages escape %, CR and LF; properties also : and ,', () => {
  assert.equal(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
  assert.equal(escapeProperty('schema/a:b,c%.sql\n'), 'schema/a%3Ab%2Cc%25.sql%0A');
});

test('github: one command per finding, 1-based positions, info as notice, no place without a file', () => {
  const violations: Violation[] = [
    { code: 'float-double', severity: 'warning', message: 'Column `price` is FLOAT:\nuse DECIMAL, 100% exact.', table: 'coupons', source: { file: 'schema/main/coupons.sql', range: range(2, 2, 7) } },
    { code: 'foreign-key', severity: 'info', message: 'FK', table: 'o', source: { file: 'schema/main/o,1.sql', range: range(0, 0, 3) } },
    { code: 'destructive-change', severity: 'error', message: 'Deploying drops table `old`.', table: 'old' },
  ];
  const findings = findingsOf([], violations, (file) => repositoryPath('/repo', '/repo/db', file));
  assert.deepEqual(findings.map(annotation), [
    '::warning file=db/schema/main/coupons.sql,line=3,col=3,endLine=3,endColumn=8,title=float-double::Column `price` is FLOAT:%0Ause DECIMAL, 100%25 exact.',
    '::notice file=db/schema/main/o%2C1.sql,line=1,col=1,endLine=1,endColumn=4,title=foreign-key::FK',
    '::error title=destructive-change::Deploying drops table `old`.',
  ]);
});

test('markdown: code spans kept, markup and mentions outside them escaped, unbalanced backticks inert', () => {
  assert.equal(inlineText('Drops `a_b` for @team <b>[x](y)</b>'), 'Drops `a_b` for @\u200bteam \\<b\\>\\[x\\](y)\\</b\\>');
  assert.equal(inlineText('a `b` c `d'), 'a `b` c \\`d');
  assert.equal(fenced('sql', 'SELECT 1'), '```sql\nSELECT 1\n```');
  assert.equal(fenced('sql', "COMMENT '````'"), "`````sql\nCOMMENT '````'\n`````");
});

const dropEmail: SchemaChange = {
  table: 'users',
  kind: 'alter_table',
  statement: 'ALTER TABLE `users` DROP COLUMN `email`',
  class: 'destructive',
  reasons: [{ class: 'destructive', code: 'drop-column', message: 'drops column email', column: 'email' }],
};
const addTags: SchemaChange = { table: 'tags', kind: 'create_table', statement: 'CREATE TABLE `tags` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n)', class: 'safe', reasons: [] };

test('markdown: the statements in a sql block with their classes, then the verdict and each reason', () => {
  const text = diffMarkdown({
    branch: 'feat',
    against: 'main (`shop`)',
    changes: [dropEmail, addTags],
    violations: [
      { code: 'destructive-change', severity: 'error', message: 'Deploying drops column `users`.`email`.', table: 'users' },
      { code: 'float-double', severity: 'warning', message: 'Use DECIMAL_10_2 *not* FLOAT.', table: 'tags' },
    ],
  });
  assert.equal(
    text,
    [
      '### schemabranch: `feat` vs main (`shop`)',
      '',
      '2 statements: 1 destructive, 1 safe.',
      '',
      '```sql',
      '-- destructive: drops column email',
      'ALTER TABLE `users` DROP COLUMN `email`;',
      '-- safe',
      'CREATE TABLE `tags` (',
      '  `id` int NOT NULL,',
      '  PRIMARY KEY (`id`)',
      ');',
      '```',
      '',
      '**Lint verdict: not deployable** (1 error, 1 warning)',
      '',
      '- ❌ error [`destructive-change`] on `users`: Deploying drops column `users`.`email`.',
      '- ⚠️ warning [`float-double`] on `tags`: Use DECIMAL\\_10\\_2 \\*not\\* FLOAT.',
    ].join('\n'),
  );
});

test('markdown: deployable with no findings, and a branch with no changes', () => {
  assert.equal(
    diffMarkdown({ branch: 'tags', against: 'main (`shop`)', changes: [addTags], violations: [] }).split('\n').slice(-1)[0],
    '**Lint verdict: deployable** (0 errors, 0 warnings)',
  );
  assert.equal(diffMarkdown({ branch: 'same', against: 'main (`shop`)', changes: [], violations: [] }), '### schemabranch: `same` vs main (`shop`)\n\nNo changes: deploying this branch would run nothing.');
});
