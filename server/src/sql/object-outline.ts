/**
 * Where a view, trigger, routine or event names tables and columns, from the
 * engine lexer's tokens of its statement (the engine keeps bodies as text).
 * This file only records what is written and what is in scope (the tables a
 * statement reads or writes, their aliases, variables); which column a name
 * is needs the whole branch and is settled in features/body-meaning.ts.
 *
 * Each statement of a compound body (split at `;`, BEGIN and DO) is one scope;
 * a view's SELECT, subqueries and UNIONs included, is one scope. Merging
 * subqueries can only add candidates, so a name it cannot settle is reported
 * as ambiguous rather than guessed.
 */
import { kw, isOp, type Token } from '../../../engine/src/schema/lexer.js';
import type { SchemaObjectKind } from '../../../engine/src/schema/model.js';
import type { ObjectHead } from '../../../engine/src/schema/object-head.js';
import { MARIADB_1011 } from '../../../engine/src/lint/reserved-words.js';
import type { Occurrence } from './outline.js';

export interface ObjectOutline {
  kind: SchemaObjectKind;
  name: string;
  /** Offsets of the whole statement and of its name; nameStart is undefined when no name could be read. */
  start: number;
  end: number;
  nameStart?: number;
  nameEnd?: number;
  trigger?: { table: string; timing: string; event: string };
  /** A routine's parameter list and RETURNS, an event's schedule, as written (for hover). */
  signature?: string;
  /** False when the header could not be read: its body's names are not known, so a rename must not guess. */
  readable: boolean;
  /** Where the body starts: names before it (a view's column list, parameters, a schedule) are the header's own. */
  bodyStart?: number;
  /**
   * Offsets of body names read as something no rename touches: aliases and their uses as qualifiers, CTE
   * names, variables, function names, time units. A body name that is neither this nor an occurrence
   * was not understood, and a rename of that name refuses.
   */
  benign: Set<number>;
  /** A view's `*` and `t.*` select items: its columns take the names of those tables' columns. */
  stars: Array<{ qualifier?: string; scope: BodyScope }>;
}

/** A table, view, CTE or derived table a body statement reads or writes. */
export interface BodySource {
  /** The table or view name as written (unset for a derived table). */
  table?: string;
  db?: string;
  alias?: string;
  /** A subquery in FROM or a WITH query: its columns are not a table's. */
  derived?: boolean;
}

export interface BodyScope {
  sources: BodySource[];
  /** Column aliases (`AS x`) defined in the statement, lower-case: ORDER BY prefers them to columns. */
  aliases: Set<string>;
  /** DECLAREd variables, lower-case: they shadow columns of the same name in their block. */
  declared: Set<string>;
  /** Routine parameters, lower-case: they shadow columns of the same name everywhere in the routine. */
  params: Set<string>;
  /** The table NEW and OLD are rows of. */
  triggerTable?: string;
  /** Whether the body is a view's SELECT (its unaliased select items name the view's columns). */
  view: boolean;
}

export interface BodyName {
  scope: BodyScope;
  /** `o` in o.total, `NEW` in NEW.total, `orders` in shop.orders.total. */
  qualifier?: string;
  /**
   * ref: an ordinary name in an expression; target: a column of the INSERT's table in its column list;
   * implicit-alias: a name right after an expression, which reads as a column alias (`SELECT o.total amount`);
   * keyword-or-name: END, NEW or OLD alone, an SQL word unless a table in scope has a column so named.
   */
  role: 'ref' | 'target' | 'implicit-alias' | 'keyword-or-name';
  /** The clause the name is in: select, where, group, having, order, on, set, values, ... */
  clause: string;
  /** In a view's select list, not aliased: the view's column takes this name. */
  exposes?: boolean;
}

type Tok = Token | undefined;

const isName = (t: Tok): t is Token => !!t && (t.kind === 'ident' || (t.kind === 'word' && !MARIADB_1011.has(t.value.toLowerCase())));
const isAnyName = (t: Tok): t is Token => !!t && (t.kind === 'ident' || t.kind === 'word');

/** Words after a table that start the next clause rather than alias it (not all are reserved). */
const NOT_ALIAS = new Set(['ON', 'USING', 'WHERE', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'CROSS', 'NATURAL', 'STRAIGHT_JOIN', 'FULL', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'SET', 'VALUES', 'VALUE', 'SELECT', 'FOR', 'LOCK', 'INTO', 'PARTITION', 'USE', 'IGNORE', 'FORCE', 'RETURNING', 'DEFAULT', 'AS', 'OFFSET']);
const CLAUSES: Record<string, string> = { SELECT: 'select', FROM: 'from', JOIN: 'from', WHERE: 'where', GROUP: 'group', HAVING: 'having', ORDER: 'order', ON: 'on', USING: 'on', SET: 'set', VALUES: 'values', LIMIT: 'limit', INTO: 'into' };
const TIME_UNITS = new Set(['MICROSECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'SECOND_MICROSECOND', 'MINUTE_MICROSECOND', 'MINUTE_SECOND', 'HOUR_MICROSECOND', 'HOUR_SECOND', 'HOUR_MINUTE', 'DAY_MICROSECOND', 'DAY_SECOND', 'DAY_MINUTE', 'DAY_HOUR', 'YEAR_MONTH']);
const UNIT_FUNCTIONS = new Set(['EXTRACT', 'TIMESTAMPDIFF', 'TIMESTAMPADD']);

/** Reads a CREATE VIEW/TRIGGER/PROCEDURE/FUNCTION/EVENT statement; pushes its names to `occ`. */
export function outlineObject(text: string, ts: Token[], head: ObjectHead, occ: Occurrence[]): ObjectOutline {
  const end = ts[ts.length - 1].end;
  const object: ObjectOutline = { kind: head.kind, name: '', start: ts[0].start, end, readable: false, benign: new Set(), stars: [] };
  let i = head.kindAt + 1;
  if (kw(ts[i]) === 'IF' && kw(ts[i + 1]) === 'NOT' && kw(ts[i + 2]) === 'EXISTS') i += 3;
  if (!isAnyName(ts[i])) return object;
  if (isOp(ts[i + 1], '.') && isAnyName(ts[i + 2])) i += 2;
  const nameTok = ts[i];
  Object.assign(object, { name: nameTok.value, nameStart: nameTok.start, nameEnd: nameTok.end });
  occ.push({ kind: 'object-def', name: nameTok.value, table: '', start: nameTok.start, end: nameTok.end, object });
  const scan = new BodyScan(text, ts, object, occ);
  object.readable = scan.header(i + 1);
  return object;
}

class BodyScan {
  private readonly params = new Set<string>();
  private readonly declared = new Set<string>();
  private triggerTable?: string;

  constructor(
    private readonly text: string,
    private readonly ts: Token[],
    private readonly object: ObjectOutline,
    private readonly occ: Occurrence[],
  ) {}

  /** Reads what follows the name up to the body; false when it does not read as the kind's header. */
  header(at: number): boolean {
    const { ts, object } = this;
    let i = at;
    switch (object.kind) {
      case 'view': {
        // The view's own column list names the view's columns, not a table's (nor do its select items then).
        const columnList = isOp(ts[i], '(');
        if (columnList) i = close(ts, i) + 1;
        if (kw(ts[i]) !== 'AS' || i + 1 >= ts.length) return false;
        object.bodyStart = ts[i + 1].start;
        // Each SELECT of a UNION reads its own tables; WITH queries are seen by all of them.
        const ctes = new Set<string>();
        let depth = 0;
        let start = i + 1;
        for (let k = i + 1; k <= ts.length; k++) {
          if (isOp(ts[k], '(')) depth++;
          else if (isOp(ts[k], ')')) depth--;
          if (k < ts.length && (depth !== 0 || !['UNION', 'EXCEPT', 'INTERSECT'].includes(kw(ts[k])))) continue;
          if (k > start) this.query(start, k, !columnList, ctes);
          start = k + 1;
          while (['ALL', 'DISTINCT'].includes(kw(ts[start]))) start++;
        }
        return true;
      }
      case 'trigger': {
        const timing = kw(ts[i]);
        const event = kw(ts[i + 1]);
        if (!['BEFORE', 'AFTER'].includes(timing) || !['INSERT', 'UPDATE', 'DELETE'].includes(event) || kw(ts[i + 2]) !== 'ON') return false;
        i += 3;
        const table = this.tableName(i);
        if (!table) return false;
        this.tableOccurrence(table);
        object.trigger = { table: table.name, timing, event };
        this.triggerTable = table.name;
        i = table.next;
        if (kw(ts[i]) !== 'FOR' || kw(ts[i + 1]) !== 'EACH' || kw(ts[i + 2]) !== 'ROW') return false;
        i += 3;
        if (kw(ts[i]) === 'FOLLOWS' || kw(ts[i]) === 'PRECEDES') i += 2;
        object.bodyStart = ts[i]?.start ?? object.end;
        this.compound(i);
        return true;
      }
      case 'procedure':
      case 'function': {
        if (!isOp(ts[i], '(')) return false;
        const paramsEnd = close(ts, i);
        if (paramsEnd >= ts.length) return false;
        this.readParams(i + 1, paramsEnd);
        let sigEnd = paramsEnd + 1;
        if (object.kind === 'function' && kw(ts[sigEnd]) === 'RETURNS') {
          sigEnd++;
          if (isAnyName(ts[sigEnd])) sigEnd++;
          if (isOp(ts[sigEnd], '(')) sigEnd = close(ts, sigEnd) + 1;
        }
        object.signature = this.text.slice(ts[i].start, ts[Math.min(sigEnd, ts.length) - 1].end);
        object.bodyStart = ts[paramsEnd + 1]?.start ?? object.end;
        this.compound(paramsEnd + 1);
        return true;
      }
      case 'event': {
        if (kw(ts[i]) !== 'ON' || kw(ts[i + 1]) !== 'SCHEDULE') return false;
        let d = i + 2;
        while (d < ts.length && kw(ts[d]) !== 'DO') d++;
        if (d + 1 >= ts.length) return false;
        object.signature = this.text.slice(ts[i + 2].start, ts[d - 1].end);
        object.bodyStart = ts[d + 1].start;
        this.compound(d + 1);
        return true;
      }
    }
  }

  private readParams(from: number, to: number): void {
    let expectName = true;
    for (let k = from; k < to; k++) {
      const t = this.ts[k];
      if (isOp(t, '(')) k = close(this.ts, k);
      else if (isOp(t, ',')) expectName = true;
      else if (expectName && !['IN', 'OUT', 'INOUT'].includes(kw(t)) && isAnyName(t)) {
        this.params.add(t.value.toLowerCase());
        expectName = false;
      }
    }
  }

  /** A compound body: one scope per statement, split at `;`, BEGIN and DO; DECLAREd names noted first. */
  private compound(from: number): void {
    const { ts } = this;
    for (let k = from; k < ts.length; k++) {
      if (kw(ts[k]) !== 'DECLARE') continue;
      // DECLARE a, b INT; DECLARE c CURSOR FOR ...; DECLARE CONTINUE HANDLER ... declares no variable.
      let n = k + 1;
      while (isAnyName(ts[n]) && !['CONTINUE', 'EXIT', 'UNDO'].includes(kw(ts[n]))) {
        if (['CURSOR', 'CONDITION'].includes(kw(ts[n + 1]))) break;
        this.declared.add(ts[n].value.toLowerCase());
        if (!isOp(ts[n + 1], ',')) break;
        n += 2;
      }
    }
    let start = from;
    for (let k = from; k <= ts.length; k++) {
      const w = kw(ts[k]);
      const boundary = k === ts.length || isOp(ts[k], ';') || ((w === 'BEGIN' || w === 'DO') && !isOp(ts[k - 1], '.') && !isOp(ts[k + 1], '.'));
      if (!boundary) continue;
      if (k > start) this.query(start, k, false);
      start = k + 1;
    }
  }

  /** `name` or `db.name` at i: the table's (last) part and the index after it. */
  private tableName(i: number): { name: string; db?: string; tok: Token; dbTok?: Token; next: number } | undefined {
    const { ts } = this;
    if (!isAnyName(ts[i])) return undefined;
    if (isOp(ts[i + 1], '.') && isAnyName(ts[i + 2])) return { name: ts[i + 2].value, db: ts[i].value, tok: ts[i + 2], dbTok: ts[i], next: i + 3 };
    return { name: ts[i].value, tok: ts[i], next: i + 1 };
  }

  private tableOccurrence(t: { name: string; db?: string; tok: Token; dbTok?: Token }): void {
    // A database's name is never renamed (a table of another database is not the branch's).
    if (t.dbTok) this.benign(t.dbTok);
    this.occ.push({ kind: 'body-table', name: t.name, table: t.name, start: t.tok.start, end: t.tok.end, object: this.object, db: t.db });
  }

  /** One statement (or a view's whole SELECT) as one scope. */
  private query(from: number, to: number, view: boolean, ctes = new Set<string>()): void {
    const { ts } = this;
    const scope: BodyScope = { sources: [], aliases: new Set(), declared: this.declared, params: this.params, triggerTable: this.triggerTable, view };
    /** Tokens already read as sources, aliases or CTE names. */
    const done = new Set<number>();
    const parens: boolean[] = [];
    // Sources first: a select list names columns of tables its FROM lists after it.
    for (let i = from; i < to; i++) {
      const t = ts[i];
      if (isOp(t, '(')) {
        parens.push(['SELECT', 'WITH'].includes(kw(ts[i + 1])));
        continue;
      }
      if (isOp(t, ')')) {
        parens.pop();
        continue;
      }
      const w = kw(t);
      if ((w === 'WITH' || w === 'RECURSIVE' || isOp(t, ',')) && isAnyName(ts[i + 1]) && kw(ts[i + 2]) === 'AS' && isOp(ts[i + 3], '(')) {
        ctes.add(ts[i + 1].value);
        this.benign(ts[i + 1]);
        scope.sources.push({ alias: ts[i + 1].value, derived: true });
        done.add(i + 1);
        continue;
      }
      const inQuery = parens.length === 0 || parens[parens.length - 1];
      const before = kw(ts[i - 1]);
      if ((w === 'FROM' || w === 'JOIN') && inQuery) {
        let k = this.source(i + 1, to, scope, done, ctes);
        while (w === 'FROM' && isOp(ts[k], ',')) k = this.source(k + 1, to, scope, done, ctes);
      } else if ((w === 'INSERT' || w === 'REPLACE') && !isOp(ts[i + 1], '(')) {
        let k = i + 1;
        while (['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE'].includes(kw(ts[k]))) k++;
        if (kw(ts[k]) === 'INTO') k++;
        const table = this.tableName(k);
        if (!table || ctes.has(table.name)) continue;
        this.tableOccurrence(table);
        for (let d = k; d < table.next; d++) done.add(d);
        scope.sources.push({ table: table.name, db: table.db });
        if (isOp(ts[table.next], '(') && !['SELECT', 'WITH'].includes(kw(ts[table.next + 1]))) {
          const c = Math.min(close(ts, table.next), to);
          for (let d = table.next + 1; d < c; d++) {
            if (!isAnyName(ts[d])) continue;
            this.nameAt(d, scope, { qualifier: undefined, role: 'target', clause: 'into' }, table.name);
            done.add(d);
          }
        }
      } else if (w === 'UPDATE' && before !== 'KEY' && before !== 'FOR') {
        let k = i + 1;
        while (['LOW_PRIORITY', 'IGNORE'].includes(kw(ts[k]))) k++;
        k = this.source(k, to, scope, done, ctes);
        while (isOp(ts[k], ',')) k = this.source(k + 1, to, scope, done, ctes);
      }
    }
    let clause = '';
    /** Per open parenthesis: whether it holds a query, and the clause outside it. */
    const outer: Array<{ query: boolean; clause: string }> = [];
    for (let i = from; i < to; i++) {
      const t = ts[i];
      if (isOp(t, '(')) outer.push({ query: ['SELECT', 'WITH'].includes(kw(ts[i + 1])), clause });
      else if (isOp(t, ')')) clause = outer.pop()?.clause ?? clause;
      if (done.has(i)) continue;
      const topSelect = view && clause === 'select' && outer.length === 0;
      if (topSelect && isOp(t, '*') && (isOp(ts[i - 1], ',') || ['SELECT', 'DISTINCT', 'ALL'].includes(kw(ts[i - 1])))) this.object.stars.push({ scope });
      const w = kw(t);
      // EXTRACT(YEAR FROM d) and TRIM(x FROM s) start no FROM clause.
      if (CLAUSES[w] !== undefined && (outer.length === 0 || outer[outer.length - 1].query)) clause = CLAUSES[w];
      if (!isAnyName(t) || isOp(ts[i - 1], '.')) continue;
      // A user variable (@x), a function call (COUNT(...), a stored function): not a column.
      if (isOp(ts[i - 1], '@') || isOp(ts[i + 1], '(')) {
        this.benign(t);
        continue;
      }
      if (isOp(ts[i + 1], '.')) {
        i = this.qualified(i, scope, clause, view && clause === 'select' && outer.length === 0);
        continue;
      }
      if (!isName(t)) continue;
      if (this.unitHere(i)) {
        this.benign(t);
        continue;
      }
      // END, NEW, OLD alone: most likely SQL words, but a column may have that name too.
      if (['END', 'NEW', 'OLD'].includes(kw(t))) {
        this.nameAt(i, scope, { role: 'keyword-or-name', clause });
        continue;
      }
      if (kw(ts[i - 1]) === 'AS') {
        // A column alias in the select list; CAST(x AS date) names a type.
        const inSelectList = clause === 'select' && (outer.length === 0 || outer[outer.length - 1].query);
        if (inSelectList) scope.aliases.add(t.value.toLowerCase());
        this.benign(t);
        continue;
      }
      const p = ts[i - 1];
      const afterExpression = !!p && (p.kind === 'number' || p.kind === 'string' || isOp(p, ')') || isName(p));
      if (afterExpression && clause === 'select') scope.aliases.add(t.value.toLowerCase());
      const exposes = view && clause === 'select' && (isOp(ts[i + 1], ',') || kw(ts[i + 1]) === 'FROM');
      this.nameAt(i, scope, { role: afterExpression ? 'implicit-alias' : 'ref', clause, exposes });
    }
  }

  /** `a.b`, `a.b.c`, `a.*`, `a.b.*` starting at i; returns the index of its last token. */
  private qualified(i: number, scope: BodyScope, clause: string, topSelect: boolean): number {
    const { ts } = this;
    const parts: Token[] = [ts[i]];
    let k = i;
    while (isOp(ts[k + 1], '.') && (isAnyName(ts[k + 2]) || isOp(ts[k + 2], '*'))) {
      parts.push(ts[k + 2]);
      k += 2;
      if (isOp(ts[k], '*')) break;
    }
    const star = isOp(parts[parts.length - 1], '*');
    const names = star ? parts.slice(0, -1) : parts;
    if (names.length < (star ? 1 : 2)) return k;
    // [db.]table.column or [db.]table.*: the qualifier is the part before the column.
    const column = star ? undefined : names[names.length - 1];
    const qualifierTok = star ? names[names.length - 1] : names[names.length - 2];
    const db = (star ? names.length >= 2 : names.length >= 3) ? names[names.length - (star ? 2 : 3)].value : undefined;
    const q = qualifierTok.value;
    const isRow = this.triggerTable !== undefined && qualifierTok.kind === 'word' && ['NEW', 'OLD'].includes(q.toUpperCase());
    const isAlias = db === undefined && scope.sources.some((s) => s.alias === q);
    if (star && topSelect) this.object.stars.push({ qualifier: q, scope });
    if (!isRow && !isAlias) this.tableOccurrence({ name: q, db, tok: qualifierTok });
    else this.benign(qualifierTok);
    if (db !== undefined) this.benign(names[names.length - (star ? 2 : 3)]);
    const exposes = scope.view && clause === 'select' && (isOp(ts[k + 1], ',') || kw(ts[k + 1]) === 'FROM');
    if (column) this.nameAt(k, scope, { qualifier: q, role: 'ref', clause, exposes }, undefined, db);
    return k;
  }

  private nameAt(i: number, scope: BodyScope, body: Omit<BodyName, 'scope'>, target?: string, db?: string): void {
    const t = this.ts[i];
    const name: BodyName = { ...body, scope };
    if (target !== undefined) name.qualifier = target;
    this.occ.push({ kind: 'body-name', name: t.value, table: target ?? '', start: t.start, end: t.end, object: this.object, db, body: name });
  }

  /** Reads a table reference (`t`, `db.t`, `(subquery)`, each with an optional alias); returns the index after it. */
  private source(i: number, to: number, scope: BodyScope, done: Set<number>, ctes: Set<string>): number {
    const { ts } = this;
    let k = i;
    let src: BodySource;
    if (isOp(ts[k], '(')) {
      k = close(ts, k) + 1;
      src = { derived: true };
    } else {
      const table = this.tableName(k);
      if (!table || (table.tok.kind === 'word' && MARIADB_1011.has(table.name.toLowerCase()))) return k;
      for (let d = k; d < table.next; d++) done.add(d);
      k = table.next;
      if (ctes.has(table.name) && !table.db) src = { alias: table.name, derived: true };
      else {
        this.tableOccurrence(table);
        src = { table: table.name, db: table.db };
      }
    }
    if (kw(ts[k]) === 'AS' && isAnyName(ts[k + 1])) {
      done.add(k);
      k++;
    }
    const a = ts[k];
    if (k < to && a && (a.kind === 'ident' || (isName(a) && !NOT_ALIAS.has(kw(a))))) {
      src.alias = a.value;
      this.benign(a);
      done.add(k);
      k++;
    }
    scope.sources.push(src);
    return k;
  }

  /** A time unit, not a name: INTERVAL 1 DAY, EXTRACT(YEAR FROM d), TIMESTAMPDIFF(DAY, a, b). */
  private unitHere(i: number): boolean {
    const { ts } = this;
    const t = ts[i];
    if (t.kind !== 'word' || !TIME_UNITS.has(kw(t))) return false;
    if (isOp(ts[i - 1], '(') && UNIT_FUNCTIONS.has(kw(ts[i - 2]))) return true;
    for (let b = i - 1; b >= Math.max(0, i - 6); b--) if (kw(ts[b]) === 'INTERVAL') return true;
    return false;
  }

  /** A name token read as something a rename never touches (an alias, a variable, a function, a unit). */
  private benign(t: Token): void {
    this.object.benign.add(t.start);
  }
}

/** Index of the `)` closing the `(` at `open`, or the length when unclosed. */
function close(ts: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < ts.length; k++) {
    if (isOp(ts[k], '(')) depth++;
    else if (isOp(ts[k], ')') && --depth === 0) return k;
  }
  return ts.length;
}
