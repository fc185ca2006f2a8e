/**
 * What a name in a view's, trigger's, routine's or event's body means in its
 * branch: a column of one table (sure, or only likely), nothing a rename must
 * touch, or a name that may be a column of several things. Follows MariaDB:
 * column names and column aliases are case-insensitive; table names and table
 * aliases are case-sensitive (as on Linux, lower_case_table_names=0); inside
 * a routine a parameter or variable wins over a column of the same name.
 */
import { findColumn, type SchemaObjectKind } from '../../../engine/src/schema/model.js';
import type { ObjectOutline } from '../sql/object-outline.js';
import type { Occurrence } from '../sql/outline.js';
import type { BranchModel } from '../workspace/branch-model.js';

export type BodyMeaning =
  /** `why` is set when the column is only likely (a rename refuses rather than guess). */
  | { kind: 'column'; table: string; why?: string }
  /** Not a column of any table: a variable, an alias, a keyword, a view's or subquery's column. */
  | { kind: 'none' }
  /** May be a column of one of `candidates` (undefined: of any table). */
  | { kind: 'unknown'; candidates?: string[]; why: string };

export function meaningOf(o: Occurrence, model: BranchModel): BodyMeaning {
  const b = o.body;
  if (!b) return { kind: 'none' };
  const { scope } = b;
  const lower = o.name.toLowerCase();
  const dbNote = o.db === undefined ? undefined : `it is qualified with database \`${o.db}\`, which may not be this branch's`;
  if (b.role === 'target' && b.qualifier !== undefined) return { kind: 'column', table: b.qualifier, why: dbNote };
  if (b.qualifier !== undefined) {
    const q = b.qualifier;
    if (o.db !== undefined) return { kind: 'column', table: q, why: dbNote };
    if (scope.triggerTable !== undefined && /^(new|old)$/i.test(q)) return { kind: 'column', table: scope.triggerTable };
    const src = scope.sources.find((s) => s.alias === q) ?? scope.sources.find((s) => s.alias === undefined && s.table === q);
    if (src) {
      if (src.derived || src.table === undefined || !model.known.has(src.table)) return { kind: 'none' };
      return { kind: 'column', table: src.table, why: src.db === undefined ? undefined : `its table is qualified with database \`${src.db}\`, which may not be this branch's` };
    }
    if (model.known.has(q)) return { kind: 'column', table: q, why: `\`${q}\` is not among the tables its statement reads` };
    return { kind: 'unknown', why: `schemabranch found no table or alias \`${q}\` in its statement` };
  }
  // A parameter wins over a column everywhere in its routine.
  if (scope.params.has(lower)) return { kind: 'none' };
  const candidates = scope.sources.filter((s) => !s.derived && s.table !== undefined && hasColumn(model, s.table, o.name));
  if (candidates.length === 0) return { kind: 'none' };
  const names = candidates.map((s) => s.table!);
  if (scope.declared.has(lower)) return { kind: 'unknown', candidates: names, why: 'a variable declared in the body has the same name' };
  if (b.role === 'implicit-alias') return { kind: 'unknown', candidates: names, why: 'it reads as a column alias as well as a column' };
  if (b.role === 'keyword-or-name') return { kind: 'unknown', candidates: names, why: `it reads as the SQL word ${o.name.toUpperCase()} as well as a column` };
  if (scope.aliases.has(lower)) {
    // ORDER BY looks at the select list's aliases first; GROUP BY and HAVING at the tables first, with a warning.
    if (b.clause === 'order') return { kind: 'none' };
    if (b.clause === 'group' || b.clause === 'having') return { kind: 'unknown', candidates: names, why: 'a column alias of the same name is defined beside it' };
  }
  const opaque = scope.sources.filter((s) => s.derived || s.table === undefined || !model.known.has(s.table));
  if (candidates.length > 1) return { kind: 'unknown', candidates: names, why: `it is unqualified and ${names.map((n) => `\`${n}\``).join(' and ')} both have such a column` };
  if (opaque.length > 0) {
    const what = opaque.map((s) => (s.table !== undefined ? `\`${s.table}\`` : s.alias !== undefined ? `\`${s.alias}\`` : 'a subquery')).join(', ');
    return { kind: 'unknown', candidates: names, why: `it is unqualified and its statement also reads ${what}, whose columns schemabranch does not know` };
  }
  const src = candidates[0];
  return { kind: 'column', table: src.table!, why: src.db === undefined ? undefined : `its table is qualified with database \`${src.db}\`, which may not be this branch's` };
}

function hasColumn(model: BranchModel, table: string, column: string): boolean {
  const t = model.known.get(table);
  return !!t && !!findColumn(t, column);
}

/** The views, triggers, routines and events of a branch, from its files' outlines. */
export function objectsOf(model: BranchModel): ObjectOutline[] {
  const out: ObjectOutline[] = [];
  for (const f of model.files) for (const st of f.outline.statements) if (st.object) out.push(st.object);
  return out;
}

/** Whether two object names are the same: views and triggers by case (as tables), routines and events not. */
export function sameObjectName(kind: SchemaObjectKind, a: string, b: string): boolean {
  return kind === 'view' || kind === 'trigger' ? a === b : a.toLowerCase() === b.toLowerCase();
}
