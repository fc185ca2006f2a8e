/**
 * Views, triggers, routines and events in the editor, over real LSP: outline symbols, hover,
 * go to definition, references and rename through their bodies (aliases, backquotes, NEW./OLD.,
 * case-insensitive columns), and renames refused rather than done in part. A rename's result
 * is loaded into a real MariaDB by the mariadb client and run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DefinitionRequest,
  ErrorCodes,
  ResponseError,
  DocumentSymbolRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  SymbolKind,
  WorkspaceSymbolRequest,
  type DocumentSymbol,
  type Location,
  type MarkupContent,
  type Position,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { RowDataPacket } from 'mysql2/promise';
import { splitStatements } from '../../engine/src/schema/split.js';
import { loadWithClient } from '../../engine/test/corpus/corpus.js';
import { connect, freshDatabase } from '../../test/support/server.js';
import { makeWorkspace, startClient, type TestClient } from './support/lsp.js';

const TABLES = `CREATE TABLE film (
  film_id smallint unsigned NOT NULL AUTO_INCREMENT,
  title varchar(128) NOT NULL,
  rental_rate decimal(4,2) NOT NULL DEFAULT 4.99,
  PRIMARY KEY (film_id)
);
CREATE TABLE category (
  category_id tinyint unsigned NOT NULL AUTO_INCREMENT,
  name varchar(25) NOT NULL,
  PRIMARY KEY (category_id)
);
CREATE TABLE film_category (
  film_id smallint unsigned NOT NULL,
  category_id tinyint unsigned NOT NULL,
  PRIMARY KEY (film_id, category_id)
);
CREATE TABLE payment (
  payment_id int NOT NULL AUTO_INCREMENT,
  customer_id smallint unsigned NOT NULL,
  amount decimal(5,2) NOT NULL,
  PRIMARY KEY (payment_id)
);
CREATE TABLE payment_audit (
  id int NOT NULL AUTO_INCREMENT,
  payment_id int NOT NULL,
  old_amount decimal(5,2),
  new_amount decimal(5,2),
  PRIMARY KEY (id)
);
`;

// A view over a join with aliases (one with AS, one backquoted), and a view over that view.
const VIEWS = `CREATE VIEW film_list AS
SELECT f.film_id AS FID, f.title, c.\`name\` AS category, f.rental_rate AS price
FROM film f
  JOIN film_category fc ON fc.film_id = f.film_id
  JOIN \`category\` AS c ON c.category_id = fc.category_id
ORDER BY price;

CREATE VIEW cheap_films AS SELECT FID, title FROM film_list WHERE price < 1;
`;

// A trigger reading NEW./OLD. (one in another case) that inserts into another table, inside DELIMITER $$.
const TRIGGERS = `DELIMITER $$
CREATE TRIGGER payment_amount_audit AFTER UPDATE ON payment FOR EACH ROW
BEGIN
  IF NEW.Amount <> OLD.amount THEN
    INSERT INTO payment_audit (payment_id, old_amount, new_amount) VALUES (NEW.payment_id, OLD.amount, NEW.amount);
  END IF;
END$$
DELIMITER ;
`;

const ROUTINES = `DELIMITER //
CREATE FUNCTION film_rate(p_film_id INT) RETURNS DECIMAL(4,2)
READS SQL DATA
BEGIN
  DECLARE v_rate DECIMAL(4,2);
  SELECT rental_rate INTO v_rate FROM film WHERE film_id = p_film_id;
  RETURN v_rate;
END//
DELIMITER ;
CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY DO DELETE FROM payment_audit WHERE id < 0;
`;

const FILES: Record<string, string> = { 'tables.sql': TABLES, 'views.sql': VIEWS, 'triggers.sql': TRIGGERS, 'routines.sql': ROUTINES };
const ws = makeWorkspace(Object.fromEntries(Object.entries(FILES).map(([f, text]) => [`schema/main/${f}`, text])));
const uri = (f: string): string => ws.uri(`schema/main/${f}`);
let c: TestClient;
before(async () => (c = await startClient(ws.root)));
after(async () => {
  await c.close();
  ws.remove();
});

/** The position `k` characters into the `nth` (0-based) occurrence of `needle` in file `f`. */
function at(f: string, needle: string, k = 0, nth = 0): { textDocument: { uri: string }; position: Position } {
  const text = FILES[f];
  let i = -1;
  for (let n = 0; n <= nth; n++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} #${nth} not in ${f}`);
  }
  const before = text.slice(0, i + k).split('\n');
  return { textDocument: { uri: uri(f) }, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

/** `file:line:character` (1-based line) of each location, for short asserts. */
const places = (ls: Location[] | null): string[] => (ls ?? []).map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line + 1}:${l.range.start.character}`).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

async function hoverText(f: string, needle: string, k = 0, nth = 0): Promise<string> {
  const h = await c.conn.sendRequest(HoverRequest.type, at(f, needle, k, nth));
  return h ? (h.contents as MarkupContent).value : '';
}

/** The edits of several renames of the same texts, as one edit per file (they never overlap). */
function merged(edits: WorkspaceEdit[]): Record<string, TextEdit[]> {
  const out: Record<string, TextEdit[]> = {};
  for (const e of edits) for (const [u, list] of Object.entries(e.changes ?? {})) (out[u] ??= []).push(...list);
  return out;
}

/** Applies a WorkspaceEdit to the files' texts. */
function applied(edit: WorkspaceEdit): Record<string, string> {
  const out = { ...FILES };
  for (const [u, edits] of Object.entries(edit.changes ?? {})) {
    const f = u.slice(u.lastIndexOf('/') + 1);
    out[f] = TextDocument.applyEdits(TextDocument.create(u, 'sql', 1, FILES[f]), edits);
  }
  return out;
}

test('document symbols: views, the trigger (with DELIMITER $$), the function and the event, each with what it is', async () => {
  const symbols = async (f: string): Promise<string[]> => {
    const s = (await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri(f) } })) as DocumentSymbol[];
    return s.map((x) => `${x.name}|${x.kind}|${x.detail}|${x.selectionRange.start.line}`);
  };
  assert.deepEqual(await symbols('views.sql'), [`film_list|${SymbolKind.Interface}|view|0`, `cheap_films|${SymbolKind.Interface}|view|7`]);
  assert.deepEqual(await symbols('triggers.sql'), [`payment_amount_audit|${SymbolKind.Event}|trigger AFTER UPDATE ON payment|1`]);
  assert.deepEqual(await symbols('routines.sql'), [`film_rate|${SymbolKind.Function}|function (p_film_id INT) RETURNS DECIMAL(4,2)|1`, `purge_audit|${SymbolKind.Event}|event ON SCHEDULE EVERY 1 DAY|9`]);
  const found = (await c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'paymentamountaudit' })) ?? [];
  assert.deepEqual(found.map((s) => `${s.name}|${s.kind}`), [`payment_amount_audit|${SymbolKind.Event}`]);
});

test('hover on a view, trigger and function name: kind, table, timing and event, signature, the tables its body names', async () => {
  const view = await hoverText('views.sql', 'film_list', 2, 1);
  assert.match(view, /CREATE VIEW film_list/);
  assert.match(view, /^View$/m);
  assert.match(view, /Names `film`, `film_category`, `category`/);
  const trigger = await hoverText('triggers.sql', 'payment_amount_audit', 3);
  assert.match(trigger, /Trigger · AFTER UPDATE on `payment`, for each row/);
  assert.match(trigger, /Names `payment_audit`/);
  const fn = await hoverText('routines.sql', 'film_rate', 1);
  assert.match(fn, /CREATE FUNCTION film_rate\(p_film_id INT\) RETURNS DECIMAL\(4,2\)/);
  assert.match(fn, /Stored function/);
  assert.match(await hoverText('routines.sql', 'purge_audit', 1), /Event · ON SCHEDULE EVERY 1 DAY/);
});

test('hover on a table or column inside a view or trigger body is the hover it gets in its CREATE TABLE', async () => {
  assert.match(await hoverText('views.sql', 'f.title', 3), /`title` varchar\(128\) NOT NULL[\s\S]*Column of `film`/);
  assert.match(await hoverText('views.sql', 'c.`name`', 4), /`name` varchar\(25\) NOT NULL[\s\S]*Column of `category`/);
  assert.match(await hoverText('views.sql', 'FROM film f', 6), /CREATE TABLE film\n[\s\S]*3 columns · primary key: \(film_id\)/);
  // NEW.Amount: the trigger's table's column, whatever its case.
  assert.match(await hoverText('triggers.sql', 'NEW.Amount', 5), /`amount` decimal\(5,2\) NOT NULL[\s\S]*Column of `payment`[\s\S]*\*\*Used by\*\* trigger `payment_amount_audit`$/);
  // Where a table is used, in its own CREATE TABLE's hover too.
  assert.match(await hoverText('tables.sql', 'TABLE film (', 7), /\*\*Used by\*\* function `film_rate`, view `film_list`$/);
  assert.match(await hoverText('triggers.sql', 'old_amount', 2), /`old_amount` decimal\(5,2\)[\s\S]*Column of `payment_audit`/);
  // An alias and a view's own column name are not a table's columns.
  assert.equal(await hoverText('views.sql', ' fc ON', 2), '');
  assert.equal(await hoverText('views.sql', 'AS FID', 4), '');
});

test('go to definition from a view or trigger body: columns through aliases and NEW./OLD., tables, another view', async () => {
  const def = async (f: string, needle: string, k: number, nth = 0): Promise<string[]> => places((await c.conn.sendRequest(DefinitionRequest.type, at(f, needle, k, nth))) as Location[] | null);
  assert.deepEqual(await def('views.sql', 'fc.film_id', 4), ['tables.sql:13:2']);
  assert.deepEqual(await def('views.sql', 'f.film_id', 3), ['tables.sql:2:2']);
  assert.deepEqual(await def('views.sql', 'c.category_id', 3), ['tables.sql:8:2']);
  assert.deepEqual(await def('views.sql', '`category` AS', 2), ['tables.sql:7:13']);
  assert.deepEqual(await def('views.sql', 'film_list WHERE', 2), ['views.sql:1:12']);
  assert.deepEqual(await def('triggers.sql', 'OLD.amount', 5), ['tables.sql:20:2']);
  assert.deepEqual(await def('triggers.sql', 'INSERT INTO payment_audit', 15), ['tables.sql:23:13']);
  assert.deepEqual(await def('triggers.sql', 'new_amount', 1), ['tables.sql:27:2']);
  assert.deepEqual(await def('triggers.sql', 'ON payment', 4), ['tables.sql:17:13']);
  // A routine's unqualified name, settled by its statement's one table.
  assert.deepEqual(await def('routines.sql', 'film_id =', 1), ['tables.sql:2:2']);
});

test('references of a column and a table include the views, triggers and routines that name them', async () => {
  const refs = async (f: string, needle: string, k: number): Promise<string[]> =>
    places(await c.conn.sendRequest(ReferencesRequest.type, { ...at(f, needle, k), context: { includeDeclaration: true } }));
  // payment.amount: its definition and the trigger's four NEW./OLD. uses; never old_amount or new_amount.
  assert.deepEqual(await refs('tables.sql', 'amount decimal(5,2) NOT NULL', 1), ['tables.sql:20:2', 'triggers.sql:4:9', 'triggers.sql:4:23', 'triggers.sql:5:95', 'triggers.sql:5:107']);
  // film.film_id: definition, primary key, the view's f.film_id twice, the function's WHERE; never film_category.film_id.
  assert.deepEqual(await refs('tables.sql', 'film_id smallint', 1), ['routines.sql:6:49', 'tables.sql:2:2', 'tables.sql:5:15', 'views.sql:2:9', 'views.sql:4:42']);
  assert.deepEqual(await refs('tables.sql', 'TABLE category', 7), ['tables.sql:7:13', 'views.sql:5:7']);
  assert.deepEqual(await refs('views.sql', 'film_list', 1), ['views.sql:1:12', 'views.sql:8:50']);
});

test('rename a column through a view (alias kept, backquotes kept) and a trigger (NEW./OLD. in any case); the result runs on MariaDB', async () => {
  const amount = (await c.conn.sendRequest(RenameRequest.type, { ...at('tables.sql', 'amount decimal(5,2) NOT NULL', 1), newName: 'total' })) as WorkspaceEdit;
  assert.deepEqual(Object.keys(amount.changes ?? {}).sort(), [uri('tables.sql'), uri('triggers.sql')]);
  const afterAmount = applied(amount);
  assert.match(afterAmount['triggers.sql'], /IF NEW\.total <> OLD\.total THEN\n {4}INSERT INTO payment_audit \(payment_id, old_amount, new_amount\) VALUES \(NEW\.payment_id, OLD\.total, NEW\.total\);/);

  const name = (await c.conn.sendRequest(RenameRequest.type, { ...at('views.sql', 'c.`name`', 3), newName: 'label' })) as WorkspaceEdit;
  const rate = (await c.conn.sendRequest(RenameRequest.type, { ...at('routines.sql', 'rental_rate INTO', 1), newName: 'rate' })) as WorkspaceEdit;
  const film = (await c.conn.sendRequest(RenameRequest.type, { ...at('tables.sql', 'TABLE film (', 7), newName: 'movie' })) as WorkspaceEdit;
  const views = applied(name)['views.sql'];
  assert.match(views, /c\.`label` AS category/);
  assert.match(applied(rate)['views.sql'], /f\.rate AS price/);
  assert.match(applied(rate)['routines.sql'], /SELECT rate INTO v_rate FROM film WHERE/);
  const movie = applied(film);
  assert.match(movie['views.sql'], /FROM movie f\n/);
  assert.match(movie['routines.sql'], /FROM movie WHERE film_id = p_film_id/);
  // Aliases stay: f.film_id, f.title.
  assert.doesNotMatch(movie['views.sql'], /\bfilm\b/);

  // All four renames at once, loaded by the mariadb client: the view answers and the trigger fires.
  const files = applied({ changes: merged([amount, name, rate, film]) });
  const { target, database, drop } = await freshDatabase('objren');
  const conn = await connect(target, database);
  try {
    await loadWithClient(target, database, ['tables.sql', 'views.sql', 'triggers.sql', 'routines.sql'].map((f) => `${files[f]}\nDO 0`));
    await conn.query("INSERT INTO movie (film_id, title, rate) VALUES (1, 'ACADEMY DINOSAUR', 0.99); INSERT INTO category VALUES (1, 'Documentary'); INSERT INTO film_category VALUES (1, 1)");
    await conn.query('INSERT INTO payment (payment_id, customer_id, total) VALUES (7, 1, 2.99); UPDATE payment SET total = 3.99 WHERE payment_id = 7');
    const [list] = await conn.query<RowDataPacket[]>('SELECT FID, title, category, price FROM cheap_films JOIN film_list USING (FID, title)');
    assert.deepEqual(list.map((r) => [r.FID, r.title, r.category, String(r.price)]), [[1, 'ACADEMY DINOSAUR', 'Documentary', '0.99']]);
    const [audit] = await conn.query<RowDataPacket[]>('SELECT payment_id, old_amount, new_amount FROM payment_audit');
    assert.deepEqual(audit.map((r) => [r.payment_id, String(r.old_amount), String(r.new_amount)]), [[7, '2.99', '3.99']]);
    const [rateRow] = await conn.query<RowDataPacket[]>('SELECT film_rate(1) AS r');
    assert.equal(String(rateRow[0].r), '0.99');
  } finally {
    await conn.end();
    await drop();
  }
  assert.equal(splitStatements(files['triggers.sql']).statements.length, 1);
});

test('a rename that would be partial is refused with where and what to do', async () => {
  const rename = (f: string, needle: string, k: number, newName: string) => c.conn.sendRequest(RenameRequest.type, { ...at(f, needle, k), newName });
  // film_list's column `title` takes its name from film.title, and cheap_films reads it.
  await assert.rejects(rename('tables.sql', 'title varchar', 1, 'name'), (e: ResponseError<unknown>) => {
    assert.equal(e.code, ErrorCodes.InvalidParams);
    assert.match(e.message, /Cannot rename `film`\.`title`: view `film_list` takes its column `title` from it, and view `cheap_films` \(views\.sql, line 8\) reads that column of the view\. Write `AS title`/);
    return true;
  });

  const extra = 'CREATE TABLE film_text (\n  film_id smallint NOT NULL,\n  title varchar(255) NOT NULL,\n  PRIMARY KEY (film_id)\n);\n';
  const checks: Array<[string, RegExp]> = [
    // Unqualified and in both joined tables.
    ['CREATE VIEW both_ids AS SELECT film_id FROM film JOIN film_category USING (film_id);\n', /view `both_ids` \(scratch\.sql, line 1\) names `film_id`, but it is unqualified and `film` and `film_category` both have such a column\. Qualify it there/],
    // Another database's table may or may not be this branch's.
    ['CREATE VIEW other_db AS SELECT s.film_id FROM sakila.film s;\n', /view `other_db` \(scratch\.sql, line 1\) names `film_id`, but its table is qualified with database `sakila`/],
    // The parser could not read the trigger's header (no ON): its body is not known.
    ['CREATE TRIGGER broken BEFORE INSERT film FOR EACH ROW SET NEW.film_id = 1;\n', /trigger `broken` \(scratch\.sql, line 1\) names `film_id`, and its header could not be read/],
    // A variable of the same name shadows the column in its block.
    ['DELIMITER $$\nCREATE PROCEDURE p()\nBEGIN\n  DECLARE film_id INT;\n  SELECT film_id INTO @x FROM film LIMIT 1;\nEND$$\nDELIMITER ;\n', /procedure `p` \(scratch\.sql, line 5\) names `film_id`, but a variable declared in the body has the same name/],
  ];
  for (const [text, message] of checks) {
    await c.change(uri('scratch.sql'), text);
    await assert.rejects(rename('tables.sql', 'film_id smallint', 1, 'id'), message, text);
  }
  // A view that selects f.* has film's columns; another view reads its title.
  await c.change(uri('scratch.sql'), 'CREATE VIEW all_films AS SELECT f.*, 1 AS one FROM film f;\nCREATE VIEW titles AS SELECT a.title FROM all_films a;\n');
  await assert.rejects(rename('tables.sql', 'title varchar', 1, 'name'), /view `all_films` selects `\*` from `film`, so it has a column `title` too, and view `titles` \(scratch\.sql, line 2\) reads that column of the view/);
  // Each SELECT of a UNION reads its own table: film_id is not ambiguous there.
  await c.change(uri('scratch.sql'), 'CREATE VIEW ids AS SELECT film_id FROM film UNION ALL SELECT film_id FROM film_category;\n');
  const union = (await rename('tables.sql', 'film_id smallint', 1, 'id')) as WorkspaceEdit;
  assert.deepEqual(union.changes?.[uri('scratch.sql')]?.map((e) => e.range.start.character), [26]);
  // END is a word schemabranch does not read as a name: a column called `end` is not renamed past it.
  await c.change(uri('scratch.sql'), 'CREATE TABLE period (\n  id int NOT NULL,\n  `end` date,\n  PRIMARY KEY (id)\n);\nCREATE VIEW open_periods AS SELECT id, end FROM period;\n');
  await assert.rejects(
    c.conn.sendRequest(RenameRequest.type, { textDocument: { uri: uri('scratch.sql') }, position: { line: 2, character: 3 }, newName: 'ends' }),
    /view `open_periods` \(scratch\.sql, line 6\) names `end`, but it reads as the SQL word END as well as a column\. Qualify it there/,
  );
  // A table's name where no table is read (multi-table DELETE's target list).
  await c.change(uri('scratch.sql'), 'CREATE EVENT tidy ON SCHEDULE EVERY 1 DAY DO DELETE film FROM film JOIN film_category fc ON fc.film_id = film.film_id WHERE fc.category_id = 0;\n');
  await assert.rejects(rename('tables.sql', 'TABLE film (', 7, 'movie'), /Cannot rename table `film` safely: event `tidy` \(scratch\.sql, line 1\) names `film`, but schemabranch does not read a table name in that place/);
  await c.change(uri('scratch.sql'), `${extra}CREATE VIEW texts AS SELECT t.film_id, t.title FROM film_text t;\nCREATE VIEW text_ids AS SELECT film_id FROM texts;\n`);
  // film_text's film_id and title are not film's: renaming film.film_id is fine again, and the views over film_text are not touched.
  const ok = (await rename('tables.sql', 'film_id smallint', 1, 'id')) as WorkspaceEdit;
  assert.equal(ok.changes?.[uri('scratch.sql')], undefined);
  await assert.rejects(c.conn.sendRequest(PrepareRenameRequest.type, at('views.sql', 'film_list', 1)), /renames tables and columns, not a view/);
  await c.change(uri('scratch.sql'), '');
});
