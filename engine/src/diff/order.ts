/**
 * Orders per-table changes so every statement succeeds with foreign_key_checks
 * on (the rule is spelled out at the top of diff.ts). A topological sort over
 * foreign-key dependencies, ties broken by creates < alters < drops and then
 * schema order; a cycle is broken by moving one table's FK additions to a
 * trailing FK-only ALTER (or, for cycles of FK drops, its FK drops to a
 * leading one) and sorting again.
 */
import type { SchemaChange } from './change.js';
import type { Splits } from './diff.js';

export interface PlannedChange {
  /** FK-only `ALTER ... DROP FOREIGN KEY`, run before every main statement. */
  leading?: SchemaChange;
  /** The table's one CREATE, DROP or ALTER. */
  change?: SchemaChange;
  /** FK-only `ALTER ... ADD CONSTRAINT ... FOREIGN KEY`, run after every main statement. */
  trailing?: SchemaChange;
  /** Tables referenced by foreign keys that `change` adds. */
  addsFksTo: string[];
  /** Tables referenced by foreign keys that `change` drops (or that go with its dropped table). */
  dropsFksTo: string[];
}

// Object changes never reach this sort (diff/objects.ts places them around the tables).
const KIND_RANK: Record<SchemaChange['kind'], number> = { create_table: 0, alter_table: 1, drop_table: 2, create_object: 0, replace_object: 1, drop_object: 2 };

/** Index order of `planned` entries with a main change, or the node that closes a cycle. */
function topologicalOrder(planned: PlannedChange[]): { order: number[] } | { stuck: number[] } {
  const nodes = planned.map((p, i) => i).filter((i) => planned[i].change !== undefined);
  const byTable = new Map(nodes.map((i) => [planned[i].change!.table, i]));
  const after = new Map<number, Set<number>>(nodes.map((i) => [i, new Set<number>()]));
  const edge = (first: number, then: number): void => {
    if (first !== then) after.get(first)!.add(then);
  };
  for (const x of nodes) {
    const self = planned[x].change!.table;
    for (const t of planned[x].addsFksTo) {
      const target = byTable.get(t);
      if (t !== self && target !== undefined && planned[target].change!.kind !== 'drop_table') edge(target, x);
    }
    for (const t of planned[x].dropsFksTo) {
      const target = byTable.get(t);
      if (t !== self && target !== undefined && planned[target].change!.kind !== 'create_table') edge(x, target);
    }
  }
  const indegree = new Map<number, number>(nodes.map((i) => [i, 0]));
  for (const set of after.values()) for (const j of set) indegree.set(j, indegree.get(j)! + 1);
  const rank = (i: number): [number, number] => [KIND_RANK[planned[i].change!.kind], i];
  const before = (a: number, b: number): number => rank(a)[0] - rank(b)[0] || a - b;
  const remaining = new Set(nodes);
  const order: number[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter((i) => indegree.get(i) === 0).sort(before);
    if (ready.length === 0) return { stuck: [...remaining].sort(before) };
    const next = ready[0];
    remaining.delete(next);
    order.push(next);
    for (const j of after.get(next)!) indegree.set(j, indegree.get(j)! - 1);
  }
  return { order };
}

/** `split: false` never splits a table's change: a cycle is then left in tie-break order. */
export function orderChanges(build: (splits: Splits) => PlannedChange[], opts: { split: boolean }): SchemaChange[] {
  const splits: Splits = { deferAdds: new Set(), leadDrops: new Set() };
  for (;;) {
    const planned = build(splits);
    let result = topologicalOrder(planned);
    if (!('order' in result) && !opts.split) {
      const stuck = new Set(result.stuck);
      const sorted = topologicalOrder(planned.map((p, i) => (stuck.has(i) ? { ...p, addsFksTo: [], dropsFksTo: [] } : p)));
      result = 'order' in sorted ? sorted : { order: planned.map((_, i) => i).filter((i) => planned[i].change) };
    }
    if ('order' in result) {
      const out: SchemaChange[] = [];
      for (const p of planned) if (p.leading) out.push(p.leading);
      for (const i of result.order) out.push(planned[i].change!);
      for (const p of planned) if (p.trailing) out.push(p.trailing);
      return out;
    }
    // Break the cycle at the first table (in tie-break order) that can give way.
    const stuckTables = new Set(result.stuck.map((i) => planned[i].change!.table));
    const adder = result.stuck.find((i) => planned[i].addsFksTo.some((t) => stuckTables.has(t)));
    const dropper = result.stuck.find((i) => planned[i].dropsFksTo.some((t) => stuckTables.has(t)));
    if (adder !== undefined) splits.deferAdds.add(planned[adder].change!.table);
    else if (dropper !== undefined) splits.leadDrops.add(planned[dropper].change!.table);
    else throw new Error('Internal error: a dependency cycle without foreign keys. Please report this schema diff.');
  }
}
