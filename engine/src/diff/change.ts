import type { ForeignKey, SchemaObject, SchemaObjectKind, Table } from '../schema/model.js';

/**
 * How risky a change is to deploy:
 * - safe: cannot lose or reject existing data.
 * - destructive: drops a table or a column (data is lost).
 * - data-dependent: may fail or change rows depending on what is stored
 *   (new unique index, NOT NULL on existing rows, narrowed type, charset change).
 * - needs-decision: ambiguous intent, e.g. a column that looks renamed.
 */
export type ChangeClass = 'safe' | 'destructive' | 'data-dependent' | 'needs-decision';

export interface ChangeReason {
  class: ChangeClass;
  /** Stable code, shared with the deploy-time lint rules, e.g. 'drop-column'. */
  code: string;
  message: string;
  column?: string;
  index?: string;
}

export interface SchemaChange {
  /** The table changed; for a view, trigger, routine or event, the object's name (see `object`). */
  table: string;
  /**
   * Views, triggers, routines and events: create_object (CREATE), replace_object (a view's
   * CREATE OR REPLACE), drop_object (DROP, alone or before the CREATE of a redefinition).
   */
  kind: 'create_table' | 'drop_table' | 'alter_table' | 'create_object' | 'replace_object' | 'drop_object';
  /** For the *_object kinds: which object. */
  object?: { kind: SchemaObjectKind; name: string };
  /** The complete statement, ready to execute. */
  statement: string;
  /** For alter_table: the clauses after `ALTER TABLE <name> `, so the online migration can apply them to a shadow table. */
  alterSpec?: string;
  /**
   * For alter_table: alterSpec without its foreign-key clauses (empty when it
   * has nothing else). A shadow table made with CREATE TABLE ... LIKE has no
   * foreign keys, and constraint names are unique per database, so an online
   * migration applies this to the shadow and handles `foreignKeys` itself.
   */
  shadowSpec?: string;
  /** For alter_table: the foreign keys this statement drops and adds (a changed key is in both). */
  foreignKeys?: { dropped: ForeignKey[]; added: ForeignKey[] };
  /** The worst class among `reasons` ('safe' when there are none). */
  class: ChangeClass;
  reasons: ChangeReason[];
  before?: Table;
  after?: Table;
  /** For the *_object kinds: the definitions on each side. */
  objectBefore?: SchemaObject;
  objectAfter?: SchemaObject;
}

export function isObjectChange(c: SchemaChange): boolean {
  return c.object !== undefined;
}
