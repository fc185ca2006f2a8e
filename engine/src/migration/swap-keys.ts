/**
 * The foreign keys of one migration's swaps, orchestrated over its tables:
 * what is recorded before a swap, linked under its locks, checked and caught
 * up before it, and settled (idempotently) after it or by recovery.
 */
import type { Connection } from 'mysql2/promise';
import { childrenToRepoint, liveForeignKeys, moveForeignKeys, orphanProblems } from './foreign-keys.js';
import { saveForeignKeys, type TableRecord } from './store.js';

export class ForeignKeySwap {
  constructor(
    private readonly conn: Connection,
    private readonly db: string,
    private readonly runId: number,
    private readonly tables: TableRecord[],
  ) {}

  /** The children of every altered table, read just before a swap and recorded so a recovery can re-point them too. */
  async recordIncoming(): Promise<void> {
    const swapped = this.tables.map((t) => t.table);
    for (const t of this.tables) {
      if (t.kind !== 'alter_table' || !t.foreignKeys) continue;
      const live = await liveForeignKeys(this.conn, this.db, t.table);
      t.foreignKeys = { ...t.foreignKeys, incoming: childrenToRepoint(live.incoming, swapped) };
      await saveForeignKeys(this.conn, this.runId, t);
    }
  }

  /**
   * Settles the keys for whichever schema the user's names hold now
   * (idempotent: also how recovery and a failed swap put them right). Keys
   * follow a RENAME, so this is a no-op after a swap whose keys were linked
   * under its locks, and repairs one that was cut short.
   */
  async settle(holds: 'new' | 'old', conn: Connection = this.conn): Promise<void> {
    const db = this.db;
    for (const t of this.tables) {
      const k = t.foreignKeys;
      if (t.kind !== 'alter_table' || !k) continue;
      if (holds === 'new') await moveForeignKeys(conn, db, { from: t.old, fromKeys: k.before, to: t.table, toKeys: k.after, children: k.incoming });
      else await moveForeignKeys(conn, db, { from: t.shadow, fromKeys: k.after, to: t.table, toKeys: k.before, children: k.incoming });
    }
  }

  /**
   * Under the swap's locks, after the final drain: points the keys at the
   * tables that are about to take the user's names, so the RENAME itself
   * carries them and no child ever points at a table set aside.
   */
  async linkForSwap(direction: 'forward' | 'reverse', a: Connection): Promise<void> {
    const db = this.db;
    const incoming = (t: TableRecord): string => (direction === 'forward' ? t.shadow : t.old);
    const refs = new Map(this.tables.filter((t) => t.kind === 'alter_table').map((t) => [t.table, incoming(t)]));
    for (const t of this.tables) {
      const k = t.foreignKeys;
      if (t.kind !== 'alter_table' || !k) continue;
      const [fromKeys, toKeys] = direction === 'forward' ? [k.before, k.after] : [k.after, k.before];
      await moveForeignKeys(a, db, { from: t.table, fromKeys, to: incoming(t), toKeys, children: k.incoming, refs });
    }
  }

  /** Rows the table about to take the name holds that violate a key the swap adds (checked before the swap, outside its locks). */
  async problems(direction: 'forward' | 'reverse'): Promise<string[]> {
    const altered = this.tables.filter((t) => t.kind === 'alter_table');
    const side = (t: TableRecord): string => (direction === 'forward' ? t.shadow : t.old);
    const refs = new Map(altered.map((t) => [t.table, side(t)]));
    const out: string[] = [];
    for (const t of altered) {
      const k = t.foreignKeys;
      if (!k) continue;
      const [keys, had] = direction === 'forward' ? [k.after, k.before] : [k.before, k.after];
      out.push(...(await orphanProblems(this.conn, this.db, t.table, side(t), keys, had, refs)));
    }
    return out;
  }

  /** Children the swap must also lock, to re-point their keys under its locks. */
  childLocks(): { db: string; name: string }[] {
    const names = new Set<string>();
    for (const t of this.tables) for (const fk of t.foreignKeys?.incoming ?? []) names.add(fk.table);
    return [...names].map((name) => ({ db: this.db, name }));
  }
}
