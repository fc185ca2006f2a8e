/**
 * The order in which views, triggers, routines and events can be created: routines first
 * (a view may call a function), then views, each after the views it reads, then triggers,
 * each after the trigger it FOLLOWS or PRECEDES, then events; otherwise as given.
 */
import { tokenize } from './lexer.js';
import type { SchemaObject, SchemaObjectKind } from './model.js';

const CREATE_RANK: Record<SchemaObjectKind, number> = { procedure: 0, function: 0, view: 1, trigger: 2, event: 3 };

export function creationOrder<T>(items: readonly T[], objectOf: (item: T) => SchemaObject): T[] {
  const ranked = [...items].sort((a, b) => CREATE_RANK[objectOf(a).kind] - CREATE_RANK[objectOf(b).kind]);
  const byKey = new Map(ranked.map((x) => [`${objectOf(x).kind}:${objectOf(x).name.toLowerCase()}`, x]));
  const dependsOn = (x: T): T[] => {
    const o = objectOf(x);
    const keys = o.kind === 'view' ? namesIn(o.body).map((n) => `view:${n}`) : o.trigger?.order ? [`trigger:${o.trigger.order.trigger.toLowerCase()}`] : [];
    return keys.map((k) => byKey.get(k)).filter((d): d is T => d !== undefined && d !== x);
  };
  const placed = new Set<T>();
  const ordered: T[] = [];
  const place = (x: T, path: Set<T>): void => {
    if (placed.has(x) || path.has(x)) return; // a cycle cannot be created anyway: the server says so
    path.add(x);
    for (const dep of dependsOn(x)) place(dep, path);
    placed.add(x);
    ordered.push(x);
  };
  for (const x of ranked) place(x, new Set());
  return ordered;
}

/** Every name a view's text mentions, lower-case: enough to see which other views it reads. */
function namesIn(body: string): string[] {
  return tokenize(body).tokens.filter((t) => t.kind === 'word' || t.kind === 'ident').map((t) => t.value.toLowerCase());
}
