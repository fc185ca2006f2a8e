/**
 * Issue 9, finding 12: a DELIMITER line could make a statement vanish without a word.
 * Only the first word after DELIMITER is read (as the mysql client does), so
 * `DELIMITER $$ CREATE VIEW v ...` dropped the view silently; `DELIMITER '` skipped a
 * whole procedure read as a string. Nothing unseen was sent, but the file said
 * something the branch did not: now such a line is an error at the line. The other
 * way round, `branch pull` (and main's files after a deploy) wrote an object between
 * `DELIMITER $$` lines even when its body held `$$` (every usual delimiter taken), so
 * the file read back cut short; it now picks one the body does not hold.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSchemaFiles } from '../../src/schema/parse.js';
import { renderObjectFile } from '../../src/sql/object-ddl.js';
import { TABLE } from './repo.js';

const problems = (text: string) => parseSchemaFiles([{ file: 'a.sql', text: TABLE + text }]).problems.map((p) => `${p.range.start.line + 1} ${p.code}`);

test('finding 12: a DELIMITER line that hides text, or sets a delimiter holding a quote, backslash or comment mark, is an error at the line', () => {
  assert.deepEqual(problems('CREATE PROCEDURE p() BEGIN SELECT 1; END;\nDELIMITER $$ CREATE VIEW v AS SELECT 1$$\n'), ['5 delimiter-line']);
  assert.deepEqual(problems("DELIMITER '\nCREATE PROCEDURE p() BEGIN SELECT 1; END'\nDELIMITER ;\n"), ['4 delimiter-line']);
  assert.deepEqual(problems('DELIMITER --\nCREATE PROCEDURE p() BEGIN SELECT 1; END--\n'), ['4 delimiter-line']);
  assert.deepEqual(problems('DELIMITER \\\\\nCREATE PROCEDURE p() BEGIN SELECT 1; END\\\\\n'), ['4 delimiter-line']);
  assert.deepEqual(problems('DELIMITER\nCREATE PROCEDURE p() SELECT 1;\n'), ['4 delimiter-line']);
  const message = parseSchemaFiles([{ file: 'a.sql', text: 'DELIMITER $$ CREATE VIEW v AS SELECT 1$$\n' }]).problems[0].message;
  assert.match(message, /Only \$\$ is read on this DELIMITER line: the rest of it \(CREATE VIEW v AS SELECT 1\$\$\) is ignored.*line of its own/);
});

test('finding 12: dump files and a comment after the delimiter stay fine', () => {
  const dump = 'DELIMITER ;;\n/*!50003 CREATE*/ /*!50003 PROCEDURE `p`() BEGIN SELECT 1; END */;;\nDELIMITER ; -- back to normal\nDELIMITER $$ # routines\nCREATE FUNCTION f() RETURNS int RETURN 1$$\nDELIMITER ;\n';
  const parsed = parseSchemaFiles([{ file: 'a.sql', text: TABLE + dump }]);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.schema.objects?.map((o) => o.name), ['p', 'f']);
});

test('finding 12: a file branch pull writes reads back as the same object, whatever delimiters its body holds', () => {
  // Every usual delimiter is in the body, and `$$` inside a name: the old fallback, $$, cut the procedure at a$$b.
  const text = 'CREATE PROCEDURE p() BEGIN DECLARE a$$b INT DEFAULT 1; /* // $$$$ @@@@ $$1$$ */ SELECT a$$b; END;\n';
  const object = parseSchemaFiles([{ file: 'p.sql', text }]).schema.objects![0];
  const file = renderObjectFile(object);
  assert.match(file, /^DELIMITER \$\$2\$\$\n/);
  const back = parseSchemaFiles([{ file: 'p.sql', text: file }]);
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.schema.objects?.map((o) => [o.name, o.body]), [['p', object.body]]);
});
