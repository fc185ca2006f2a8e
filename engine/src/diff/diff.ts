/**
 * Schema diff: the statements that turn one schema into another, in an order
 * the server accepts with foreign_key_checks on, each classified by risk.
 *
 * Statement style: CREATE TABLE in the canonical form (renderCreateTable),
 * `DROP TABLE `t``, and one `ALTER TABLE `t` <clause>, <clause>, ...` per
 * changed table (clause order: see alter.ts). No trailing semicolons.
 *
 * Ordering rule (implemented in order.ts):
 *  1. a table is created or altered before any statement that adds a foreign
 *     key referencing it;
 *  2. a statement that drops a foreign key (or drops the table holding it)
 *     runs before the ALTER or DROP of the table it references;
 *  3. otherwise creates, then alters, then drops, each in schema order.
 * Views, triggers, routines and events: their DROPs before all of this, their
 * CREATEs after it (objects.ts).
 * One ALTER per table, except where that is impossible; then the table's
 * foreign-key additions move to a separate FK-only ALTER at the end:
 *  - a foreign key dropped and re-added under the same name (MariaDB refuses
 *    that inside one ALTER with errno 121 "Duplicate key on write or update");
 *  - a dependency cycle between tables (e.g. A gains an FK to a column B adds,
 *    while B drops a column A's old FK pointed at). Cycles made only of FK
 *    drops (mutually referencing tables dropped together) are broken by a
 *    leading FK-only `ALTER TABLE ... DROP FOREIGN KEY`.
 * FK-only ALTERs at the very end depend on nothing after them, so they are
 * always valid there, and the main ALTERs stay one per table.
 */
import type { SchemaChange } from './change.js';
import { findColumn, type ForeignKey, type Schema, type Table } from '../schema/model.js';
import { stripSources } from '../schema/normalize.js';
import { renderCreateTable, type Flavor } from '../sql/ddl.js';
import { quoteIdent } from '../sql/quote.js';
import { addForeignKeyClause, appendPartitioning, dropForeignKeyClause, planTableAlter, type TableAlterPlan } from './alter.js';
import { sameColumnStorage, sameForeignKey, withEffectiveCharset } from './compare.js';
import { worstClass } from './classify.js';
import { orderChanges, type PlannedChange } from './order.js';
import { diffObjects, sameObject } from './objects.js';
import { starViewsRedefined } from './star-views.js';

export interface DiffOptions {
  /** Table names left out of the comparison on both sides (e.g. the engine's own bookkeeping tables). */
  ignoreTables?: string[];
  /** Spelling of flavor-specific syntax (invisible indexes: IGNORED on MariaDB, INVISIBLE on MySQL). Default 'mariadb'. */
  flavor?: Flavor;
  /**
   * At most one change per table, each ALTER with every clause (diffTables):
   * the shape an online migration needs, since it builds one shadow table per
   * changed table and applies the whole alterSpec to it. The statements are
   * then not guaranteed to run one after another on a live server (a foreign
   * key re-added under its old name, FKs around column type changes, cycles).
   */
  onePerTable?: boolean;
}

function alterChange(table: string, clauses: string[], before: Table, after: Table, reasons: SchemaChange['reasons']): SchemaChange {
  const alterSpec = clauses.join(', ');
  // Which foreign keys the statement drops and adds, read off the two tables it joins.
  const dropped = before.foreignKeys.filter((fk) => clauses.includes(dropForeignKeyClause(fk)));
  const added = after.foreignKeys.filter((fk) => clauses.includes(addForeignKeyClause(fk)));
  const fkClauses = new Set([...dropped.map(dropForeignKeyClause), ...added.map(addForeignKeyClause)]);
  return {
    table,
    kind: 'alter_table',
    statement: `ALTER TABLE ${quoteIdent(table)} ${alterSpec}`,
    alterSpec,
    shadowSpec: clauses.filter((c) => !fkClauses.has(c)).join(', '),
    foreignKeys: { dropped, added },
    class: worstClass(reasons),
    reasons,
    before,
    after,
  };
}

/**
 * The single ALTER turning `from` into `to`, or undefined when they are equal:
 * every clause in one alterSpec, the shape an online migration applies to a
 * shadow table. On a live table some of it cannot run as one statement (a
 * foreign key dropped and re-added under the same name, foreign keys around a
 * column type change): diffSchemas is the function that splits those.
 */
export function diffTables(from: Table, to: Table, opts: DiffOptions = {}): SchemaChange | undefined {
  return alterOf(from, to, planTableAlter(from, to, new Set(), opts.flavor));
}

function alterOf(from: Table, to: Table, plan: TableAlterPlan): SchemaChange | undefined {
  const clauses = [...plan.clauses, ...plan.addForeignKeys.map(addForeignKeyClause), ...plan.optionClauses];
  const all = appendPartitioning(clauses, from.options, to.options);
  if (all.length === 0) return undefined;
  return alterChange(to.name, all, from, to, plan.reasons);
}

/** Tables whose FK additions move to a trailing FK-only ALTER, and tables whose FK drops move to a leading one. */
export interface Splits {
  deferAdds: Set<string>;
  leadDrops: Set<string>;
}

function leadingDrop(from: Table, dropped: ForeignKey[]): { leading: SchemaChange; rest: Table } | undefined {
  if (dropped.length === 0) return undefined;
  const rest: Table = { ...from, foreignKeys: from.foreignKeys.filter((fk) => !dropped.includes(fk)) };
  const reasons = dropped.map((fk) => ({ class: 'safe' as const, code: 'drop-foreign-key', message: `Foreign key ${quoteIdent(fk.name)} is dropped first to break a dependency cycle.` }));
  return { leading: alterChange(from.name, dropped.map(dropForeignKeyClause), from, rest, reasons), rest };
}

/**
 * Unchanged foreign keys whose columns change type, charset or collation on
 * either side: InnoDB refuses that change under the constraint (errors 1832,
 * 1833), so the key is dropped and re-added around it.
 */
function foreignKeysToReadd(from: Table, to: Table, fromTables: Map<string, Table>, toTables: Map<string, Table>): Set<string> {
  const names = new Set<string>();
  for (const fk of to.foreignKeys) {
    const prev = from.foreignKeys.find((f) => f.name === fk.name);
    if (!prev || !sameForeignKey(prev, fk)) continue;
    const parentFrom = fromTables.get(fk.refTable);
    const parentTo = toTables.get(fk.refTable);
    const moves = (a: Table, b: Table, c: string): boolean => {
      const x = findColumn(a, c);
      const y = findColumn(b, c);
      return !sameColumnStorage(x && withEffectiveCharset(x, a), y && withEffectiveCharset(y, b));
    };
    const childMoves = fk.columns.some((c) => moves(from, to, c));
    const parentMoves = !!parentFrom && !!parentTo && fk.refColumns.some((c) => moves(parentFrom, parentTo, c));
    if (childMoves || parentMoves) names.add(fk.name);
  }
  return names;
}

function planTable(original: Table, to: Table, splits: Splits, forceReadd: Set<string>, flavor: Flavor | undefined): PlannedChange | undefined {
  let from = original;
  let leading: SchemaChange | undefined;
  if (splits.leadDrops.has(to.name)) {
    const lead = leadingDrop(original, planTableAlter(original, to, forceReadd, flavor).droppedForeignKeys);
    if (lead) ({ leading, rest: from } = lead);
  }
  const plan = planTableAlter(from, to, forceReadd, flavor);
  const mustDefer = splits.deferAdds.has(to.name) || plan.readdedForeignKeys.size > 0;
  if (!mustDefer) {
    const change = alterOf(from, to, plan);
    if (!change && !leading) return undefined;
    return { leading, change, addsFksTo: refs(plan.addForeignKeys), dropsFksTo: refs(plan.droppedForeignKeys) };
  }
  const deferred = plan.addForeignKeys;
  const middle: Table = { ...to, foreignKeys: to.foreignKeys.filter((fk) => !deferred.includes(fk)) };
  const fkReasons = plan.reasons.filter((r) => r.code === 'add-foreign-key');
  const mainReasons = plan.reasons.filter((r) => r.code !== 'add-foreign-key');
  const mainClauses = appendPartitioning([...plan.clauses, ...plan.optionClauses], from.options, to.options);
  const change = mainClauses.length > 0 ? alterChange(to.name, mainClauses, from, middle, mainReasons) : undefined;
  const trailing = deferred.length > 0 ? alterChange(to.name, deferred.map(addForeignKeyClause), middle, to, fkReasons) : undefined;
  return { leading, change, trailing, addsFksTo: [], dropsFksTo: refs(plan.droppedForeignKeys) };
}

/** Same columns, indexes, keys, checks and options, whatever the table is called. */
function sameTableShape(a: Table, b: Table): boolean {
  const shape = (t: Table): string => JSON.stringify(stripSources({ ...t, name: '', nolint: [] }));
  return shape(a) === shape(b);
}

function refs(fks: ForeignKey[]): string[] {
  return fks.map((fk) => fk.refTable);
}

/**
 * The changes that turn `from` into `to`, in executable order. Both schemas
 * should come through normalizeSchema with the same server defaults; `source`
 * fields are ignored.
 */
export function diffSchemas(from: Schema, to: Schema, opts: DiffOptions = {}): SchemaChange[] {
  const ignored = new Set(opts.ignoreTables ?? []);
  const fromTables = from.tables.filter((t) => !ignored.has(t.name));
  const toTables = to.tables.filter((t) => !ignored.has(t.name));
  const fromByName = new Map(fromTables.map((t) => [t.name, t]));
  const toByName = new Map(toTables.map((t) => [t.name, t]));

  const build = (splits: Splits): PlannedChange[] => {
    const planned: PlannedChange[] = [];
    for (const t of toTables) {
      const old = fromByName.get(t.name);
      if (old && opts.onePerTable) {
        const change = diffTables(old, t, opts);
        if (change) planned.push({ change, addsFksTo: refs(t.foreignKeys), dropsFksTo: refs(old.foreignKeys) });
        continue;
      }
      if (old) {
        const p = planTable(old, t, splits, foreignKeysToReadd(old, t, fromByName, toByName), opts.flavor);
        if (p) planned.push(p);
        continue;
      }
      const defer = splits.deferAdds.has(t.name) && t.foreignKeys.length > 0;
      const created: Table = defer ? { ...t, foreignKeys: [] } : t;
      const change: SchemaChange = { table: t.name, kind: 'create_table', statement: renderCreateTable(created, { flavor: opts.flavor }), class: 'safe', reasons: [], after: created };
      const trailing = defer ? alterChange(t.name, t.foreignKeys.map(addForeignKeyClause), created, t, []) : undefined;
      planned.push({ change, trailing, addsFksTo: defer ? [] : refs(t.foreignKeys), dropsFksTo: [] });
    }
    const created = toTables.filter((t) => !fromByName.has(t.name));
    for (const t of fromTables) {
      if (toByName.has(t.name)) continue;
      const lead = splits.leadDrops.has(t.name) ? leadingDrop(t, t.foreignKeys) : undefined;
      const reasons: SchemaChange['reasons'] = [{ class: 'destructive', code: 'drop-table', message: `Table ${quoteIdent(t.name)} and all its rows are dropped.` }];
      const twin = created.find((c) => sameTableShape(c, t));
      if (twin) {
        reasons.push({
          class: 'needs-decision',
          code: 'possible-rename',
          message: `Table ${quoteIdent(t.name)} is dropped and ${quoteIdent(twin.name)} created with the same definition. If this is a rename, the rows of ${quoteIdent(t.name)} would be lost: rename it with RENAME TABLE instead, or confirm the drop.`,
        });
      }
      const change: SchemaChange = { table: t.name, kind: 'drop_table', statement: `DROP TABLE ${quoteIdent(t.name)}`, class: worstClass(reasons), reasons, before: lead?.rest ?? t };
      planned.push({ leading: lead?.leading, change, addsFksTo: [], dropsFksTo: lead ? [] : refs(t.foreignKeys) });
    }
    return planned;
  };

  const objects = diffObjects(from.objects ?? [], to.objects ?? [], starViewsRedefined(from, to, sameObject));
  return [...objects.drops, ...orderChanges(build, { split: !opts.onePerTable }), ...objects.creates];
}
