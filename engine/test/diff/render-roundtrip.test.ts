/**
 * renderCreateTable is what `branch pull` writes and the language server
 * formats to: parsing its output must give back the same table, for every
 * table of the diff corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeSchema, stripSources, type ServerDefaults } from '../../src/schema/normalize.js';
import { parseSchemaFiles } from '../../src/schema/parse.js';
import { renderCreateTable } from '../../src/sql/ddl.js';

const CORPUS = join(__dirname, 'corpus');
const DEFAULTS: ServerDefaults = { flavor: 'mariadb', charset: 'utf8mb4', collation: 'utf8mb4_general_ci', engine: 'InnoDB' };

test('parse(renderCreateTable(t)) gives t back for every corpus table', () => {
  let checked = 0;
  for (const dir of readdirSync(CORPUS)) {
    for (const file of ['before.sql', 'after.sql']) {
      const text = readFileSync(join(CORPUS, dir, file), 'utf8');
      for (const table of normalizeSchema(parseSchemaFiles([{ file, text }]).schema, DEFAULTS).tables) {
        const rendered = renderCreateTable(table) + ';\n';
        const back = parseSchemaFiles([{ file: 'rendered.sql', text: rendered }]);
        assert.deepEqual(back.problems.filter((p) => p.severity === 'error').map((p) => p.message), [], `${dir}/${file}: ${rendered}`);
        assert.deepEqual(stripSources(normalizeSchema(back.schema, DEFAULTS).tables[0]), stripSources(table), `${dir}/${file}: ${rendered}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 150, `only ${checked} tables checked`);
});
