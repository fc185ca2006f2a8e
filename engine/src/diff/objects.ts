/**
 * Views, triggers, routines and events in a diff. They are placed around the tables'
 * statements rather than sorted among them:
 *  - every DROP (of a removed object, or the first half of a redefinition) runs before
 *    the tables change: a trigger dropped after its table would already be gone;
 *  - every CREATE runs after them, in schema/object-order.ts's order (routines, views
 *    after the views they read, triggers, whose tables exist by then, events).
 * A changed view is one `CREATE OR REPLACE VIEW`; a changed trigger, routine or event is
 * DROP then CREATE (MySQL has no CREATE OR REPLACE for them).
 */
import type { SchemaChange } from './change.js';
import type { SchemaObject } from '../schema/model.js';
import { creationOrder } from '../schema/object-order.js';
import { renderCreateObject, renderDropObject } from '../sql/object-ddl.js';
import { canonicalObjectText } from '../schema/object-text.js';
import { dropObjectReasons, redefineObjectReasons } from './classify.js';
import { worstClass } from './classify.js';

const keyOf = (o: SchemaObject): string => `${o.kind}:${o.name.toLowerCase()}`;

/**
 * Same definition, and the same definer and event times when both sides name them: a
 * file without DEFINER means "whoever creates it", and one without STARTS "from now",
 * which is no difference from whatever the server shows.
 */
export function sameObject(from: SchemaObject, to: SchemaObject): boolean {
  // Without the server's text on both sides (two sets of files), the statements as written, made comparable the same way.
  const text = from.canonical !== undefined && to.canonical !== undefined ? from.canonical === to.canonical : writtenText(from) === writtenText(to);
  if (!text) return false;
  for (const key of ['at', 'starts', 'ends'] as const) {
    const a = from.schedule?.[key];
    const b = to.schedule?.[key];
    if (a !== undefined && b !== undefined && a !== b) return false;
  }
  if (!from.definer || !to.definer) return true;
  return from.definer.user === to.definer.user && from.definer.host.toLowerCase() === to.definer.host.toLowerCase();
}

/** Parsed objects are never changed: the editor compares each one on every keystroke, so its text is made once. */
const written = new WeakMap<SchemaObject, string>();

function writtenText(o: SchemaObject): string {
  let text = written.get(o);
  if (text === undefined) written.set(o, (text = canonicalObjectText(renderCreateObject(o), '')));
  return text;
}

/** `redefined`: views of `to` to redefine even though their text is the same (star-views.ts). */
export function diffObjects(from: SchemaObject[], to: SchemaObject[], redefined: ReadonlySet<SchemaObject> = new Set()): { drops: SchemaChange[]; creates: SchemaChange[] } {
  const before = new Map(from.map((o) => [keyOf(o), o]));
  const after = new Set(to.map(keyOf));
  const drops: SchemaChange[] = [];
  const creates: Array<{ o: SchemaObject; change: SchemaChange }> = [];
  for (const o of to) {
    const old = before.get(keyOf(o));
    if (old && sameObject(old, o) && !redefined.has(o)) continue;
    if (old && o.kind === 'view') {
      creates.push({ o, change: change(o, 'replace_object', renderCreateObject(o, { orReplace: true }), [], old, o) });
      continue;
    }
    if (old) drops.push(change(old, 'drop_object', renderDropObject(old), redefineObjectReasons(old), old, undefined));
    creates.push({ o, change: change(o, 'create_object', renderCreateObject(o), [], old, o) });
  }
  for (const o of from) if (!after.has(keyOf(o))) drops.push(change(o, 'drop_object', renderDropObject(o), dropObjectReasons(o), o, undefined));
  return { drops, creates: creationOrder(creates, (c) => c.o).map((c) => c.change) };
}

function change(o: SchemaObject, kind: SchemaChange['kind'], statement: string, reasons: SchemaChange['reasons'], before: SchemaObject | undefined, after: SchemaObject | undefined): SchemaChange {
  const c: SchemaChange = { table: o.name, kind, object: { kind: o.kind, name: o.name }, statement, class: worstClass(reasons), reasons };
  if (before) c.objectBefore = before;
  if (after) c.objectAfter = after;
  return c;
}
