/**
 * A view that selects `*` (or `t.*`) is stored by the server with the columns its tables
 * have when it is created, so the server's text of it (`canonical`, when both sides were
 * read from or probed on a server) changes when such a table gains, loses or reorders a
 * column, and the diff then redefines the view. Two sets of files carry no server's text:
 * this finds the same views from the files alone, so the editor (which never probes) and
 * the CLI agree.
 */
import { isOp, kw, tokenize } from '../schema/lexer.js';
import type { Schema, SchemaObject, Table } from '../schema/model.js';

interface ViewReading {
  /** A `*` select item: after SELECT, DISTINCT, ALL, a comma, or `t.`. */
  star: boolean;
  /** Every name the text mentions, lower-case: a superset of the tables and views it reads. */
  names: Set<string>;
}

/** Parsed objects are never changed: each view's text is read once. */
const readings = new WeakMap<SchemaObject, ViewReading>();

function readView(view: SchemaObject): ViewReading {
  let r = readings.get(view);
  if (r) return r;
  const tokens = tokenize(view.body).tokens;
  const star = tokens.some((t, i) => isOp(t, '*') && (['SELECT', 'DISTINCT', 'ALL'].includes(kw(tokens[i - 1])) || isOp(tokens[i - 1], ',') || isOp(tokens[i - 1], '.')));
  const names = new Set(tokens.filter((t) => t.kind === 'word' || t.kind === 'ident').map((t) => t.value.toLowerCase()));
  readings.set(view, (r = { star, names }));
  return r;
}

const columnList = (t: Table): string => t.columns.map((c) => c.name.toLowerCase()).join(',');

/**
 * The views of `to`, compared by their text (no `canonical`), whose `*` reads a table or
 * view whose columns differ between `from` and `to`. `sameText` is the diff's own test of
 * whether a view's definition changed.
 */
export function starViewsRedefined(from: Schema, to: Schema, sameText: (a: SchemaObject, b: SchemaObject) => boolean): Set<SchemaObject> {
  const out = new Set<SchemaObject>();
  const views = (s: Schema) => new Map((s.objects ?? []).filter((o) => o.kind === 'view').map((o) => [o.name.toLowerCase(), o]));
  const toViews = views(to);
  const starred = [...toViews.values()].filter((v) => v.canonical === undefined && readView(v).star);
  if (starred.length === 0) return out;
  const fromViews = views(from);
  const tables = (s: Schema) => new Map(s.tables.map((t) => [t.name.toLowerCase(), t]));
  const fromTables = tables(from);
  const toTables = tables(to);
  const redefined = new Map<SchemaObject, boolean>();
  // Whether what `name` gives a SELECT * differs: a table's columns, or a view redefined (by its text, or by a * of its own).
  const columnsMoved = (name: string): boolean => {
    const a = fromTables.get(name);
    const b = toTables.get(name);
    if (a && b) return columnList(a) !== columnList(b);
    const old = fromViews.get(name);
    const now = toViews.get(name);
    return !!old && !!now && (!sameText(old, now) || isRedefined(now));
  };
  const isRedefined = (v: SchemaObject): boolean => {
    const known = redefined.get(v);
    if (known !== undefined) return known;
    redefined.set(v, false); // a cycle of views cannot be created anyway
    const r = readView(v);
    const answer = r.star && [...r.names].some((n) => n !== v.name.toLowerCase() && columnsMoved(n));
    redefined.set(v, answer);
    return answer;
  };
  for (const v of starred) if (isRedefined(v)) out.add(v);
  return out;
}
