/**
 * Where each table and column name is written in a file, found from tokens
 * alone so that navigation, rename and completion keep working on text that
 * does not parse yet. The engine's model says what a name means; this says
 * every place it appears.
 */
import { objectHeadOf } from '../../../engine/src/schema/object-head.js';
import { splitStatements } from '../../../engine/src/schema/split.js';
import { outlineObject, type BodyName, type ObjectOutline } from './object-outline.js';
import { tokenize as lex, type Token as LexToken } from '../../../engine/src/schema/lexer.js';
import { editorToken, editorTokens, isName, isPunct, isWord, type Token } from './tokens.js';

export type OccurrenceKind =
  /** CREATE TABLE <name> */
  | 'table-def'
  /** REFERENCES <name> */
  | 'table-ref'
  /** The name that starts a column definition. */
  | 'column-def'
  /** A column inside a key, index or foreign key column list. */
  | 'column-ref'
  /** An identifier inside a CHECK or generated-column expression: a column only if the table has one by that name. */
  | 'expr-ref'
  /** The name of a view, trigger, procedure, function or event in its CREATE statement. */
  | 'object-def'
  /** A table (or view) a view's, trigger's, routine's or event's statement names: FROM, JOIN, INTO, UPDATE, ON, a `t.` qualifier. */
  | 'body-table'
  /** A name in such a body that may be a column: what it means is settled against the branch (features/body-meaning.ts). */
  | 'body-name';

export interface Occurrence {
  kind: OccurrenceKind;
  name: string;
  /** The table the name belongs to: the table itself, or the table owning the column. */
  table: string;
  start: number;
  end: number;
  /** For object-def, body-table and body-name: the statement's object. */
  object?: ObjectOutline;
  /** For body-table and body-name: the database written before it (`shop`.`orders`), which may not be this branch's. */
  db?: string;
  /** For body-name: its qualifier and the tables in scope. */
  body?: BodyName;
}

/** One top-level element of a CREATE TABLE body: a column, key, constraint or check. */
export interface BodyElement {
  kind: 'column' | 'key' | 'foreign-key' | 'check' | 'other';
  start: number;
  end: number;
  /** For 'column': the column name. */
  name?: string;
}

export interface StatementOutline {
  /** Offsets of the whole statement, without the terminating semicolon. */
  start: number;
  end: number;
  /** Offset of the terminating semicolon; undefined when the statement runs to the end of the file. */
  terminator?: number;
  /** Set for CREATE TABLE statements. */
  table?: string;
  nameStart?: number;
  nameEnd?: number;
  /** Offset just after the body's opening parenthesis and at its closing one (or the statement end). */
  bodyStart?: number;
  bodyEnd?: number;
  elements: BodyElement[];
  /** Set for CREATE VIEW / TRIGGER / PROCEDURE / FUNCTION / EVENT. */
  object?: ObjectOutline;
}

export interface FileOutline {
  tokens: Token[];
  statements: StatementOutline[];
  occurrences: Occurrence[];
}

export function outlineFile(text: string): FileOutline {
  const lexed = lex(text);
  const made = new Map<LexToken, Token>();
  const tokens = editorTokens(text, lexed, made);
  const statements: StatementOutline[] = [];
  const occurrences: Occurrence[] = [];
  // The engine's statements: DELIMITER lines and BEGIN ... END keep a trigger's or routine's `;` inside it.
  for (const st of splitStatements(text, undefined, lexed).statements) {
    if (st.tokens.length === 0) continue;
    const terminator = st.stop < text.length ? st.stop : undefined;
    const head = objectHeadOf(st.tokens);
    if (head) {
      const object = outlineObject(text, st.tokens, head, occurrences);
      statements.push({ start: st.start, end: st.end, terminator, elements: [], object });
      continue;
    }
    // A token a custom delimiter cut (`END$$`) was lexed again: not one the editor has.
    const code = st.tokens.map((t) => made.get(t) ?? editorToken(text, t));
    statements.push({ ...outlineStatement(code, occurrences), terminator });
  }
  return { tokens, statements, occurrences };
}

function outlineStatement(ts: Token[], occ: Occurrence[]): StatementOutline {
  const st: StatementOutline = { start: ts[0].start, end: ts[ts.length - 1].end, elements: [] };
  let i = 0;
  if (!isWord(ts[i], 'CREATE')) return st;
  i++;
  while (isWord(ts[i], 'OR') || isWord(ts[i], 'REPLACE') || isWord(ts[i], 'TEMPORARY')) i++;
  if (!isWord(ts[i], 'TABLE')) return st;
  i++;
  if (isWord(ts[i], 'IF') && isWord(ts[i + 1], 'NOT') && isWord(ts[i + 2], 'EXISTS')) i += 3;
  if (!isName(ts[i])) return st;
  // db.table: the table is the last part.
  while (isPunct(ts[i + 1], '.') && isName(ts[i + 2])) i += 2;
  const nameTok = ts[i];
  const table = nameTok.value;
  st.table = table;
  st.nameStart = nameTok.start;
  st.nameEnd = nameTok.end;
  occ.push({ kind: 'table-def', name: table, table, start: nameTok.start, end: nameTok.end });
  i++;
  if (!isPunct(ts[i], '(')) return st;
  st.bodyStart = ts[i].end;
  i++;
  let depth = 0;
  let elemFrom = i;
  for (; i <= ts.length; i++) {
    const t = ts[i];
    const atEnd = i === ts.length;
    if (!atEnd && isPunct(t, '(')) depth++;
    if (atEnd || (depth === 0 && (isPunct(t, ',') || isPunct(t, ')')))) {
      if (i > elemFrom) st.elements.push(outlineElement(ts.slice(elemFrom, i), table, occ));
      elemFrom = i + 1;
      if (atEnd || isPunct(t, ')')) {
        st.bodyEnd = atEnd ? st.end : t.start;
        break;
      }
      continue;
    }
    if (isPunct(t, ')')) depth--;
  }
  return st;
}

const KEY_WORDS = new Set(['PRIMARY', 'KEY', 'INDEX', 'UNIQUE', 'FULLTEXT', 'SPATIAL']);

function outlineElement(ts: Token[], table: string, occ: Occurrence[]): BodyElement {
  const start = ts[0].start;
  const end = ts[ts.length - 1].end;
  let i = 0;
  if (isWord(ts[0], 'CONSTRAINT')) {
    i = isName(ts[1]) && !isWord(ts[1], 'PRIMARY') && !isWord(ts[1], 'UNIQUE') && !isWord(ts[1], 'FOREIGN') && !isWord(ts[1], 'CHECK') ? 2 : 1;
  }
  const head = ts[i];
  if (head?.kind === 'ident' && KEY_WORDS.has(head.value.toUpperCase())) {
    const open = ts.findIndex((t, k) => k > i && isPunct(t, '('));
    if (open >= 0) columnList(ts, open, table, occ);
    return { kind: 'key', start, end };
  }
  if (isWord(head, 'FOREIGN')) {
    const open = ts.findIndex((t, k) => k > i && isPunct(t, '('));
    if (open >= 0) columnList(ts, open, table, occ);
    references(ts, i, occ);
    return { kind: 'foreign-key', start, end };
  }
  if (isWord(head, 'CHECK')) {
    expressionNames(ts, i + 1, ts.length, table, occ);
    return { kind: 'check', start, end };
  }
  if (!isName(head) || i > 0) return { kind: 'other', start, end };
  occ.push({ kind: 'column-def', name: head.value, table, start: head.start, end: head.end });
  // Generated columns and inline checks name other columns of this table.
  for (let k = 1; k < ts.length; k++) {
    if ((isWord(ts[k], 'AS') || isWord(ts[k], 'CHECK')) && isPunct(ts[k + 1], '(')) {
      const close = matching(ts, k + 1);
      expressionNames(ts, k + 2, close, table, occ);
      k = close;
    }
  }
  references(ts, 1, occ);
  return { kind: 'column', start, end, name: head.value };
}

/** The names at the start of each part of `( a, b(10) DESC, ... )`. */
function columnList(ts: Token[], open: number, table: string, occ: Occurrence[]): number {
  const close = matching(ts, open);
  let depth = 0;
  let expectName = true;
  for (let k = open + 1; k < close; k++) {
    const t = ts[k];
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isPunct(t, ',')) expectName = true;
    else if (depth === 0 && expectName && isName(t)) {
      occ.push({ kind: 'column-ref', name: t.value, table, start: t.start, end: t.end });
      expectName = false;
    } else expectName = false;
  }
  return close;
}

/** REFERENCES <table> (<columns>) anywhere after `from`. */
function references(ts: Token[], from: number, occ: Occurrence[]): void {
  for (let k = from; k < ts.length; k++) {
    if (!isWord(ts[k], 'REFERENCES')) continue;
    let n = k + 1;
    if (!isName(ts[n])) return;
    while (isPunct(ts[n + 1], '.') && isName(ts[n + 2])) n += 2;
    const ref = ts[n];
    occ.push({ kind: 'table-ref', name: ref.value, table: ref.value, start: ref.start, end: ref.end });
    if (isPunct(ts[n + 1], '(')) columnList(ts, n + 1, ref.value, occ);
    return;
  }
}

function expressionNames(ts: Token[], from: number, to: number, table: string, occ: Occurrence[]): void {
  for (let k = from; k < to; k++) {
    const t = ts[k];
    if (!isName(t) || isPunct(ts[k + 1], '(') || isPunct(ts[k - 1], '.')) continue;
    occ.push({ kind: 'expr-ref', name: t.value, table, start: t.start, end: t.end });
  }
}

/** Index of the `)` closing the `(` at `open`, or the last index when unclosed. */
export function matching(ts: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < ts.length; k++) {
    if (isPunct(ts[k], '(')) depth++;
    else if (isPunct(ts[k], ')') && --depth === 0) return k;
  }
  return ts.length;
}

/** The statement being written at `offset`: from its first token up to its semicolon (or the end of the file). */
export function statementAt(outline: FileOutline, offset: number): StatementOutline | undefined {
  return outline.statements.find((s) => s.start <= offset && offset <= (s.terminator ?? Infinity));
}

export function occurrenceAt(outline: FileOutline, offset: number): Occurrence | undefined {
  return outline.occurrences.find((o) => o.start <= offset && offset <= o.end);
}
