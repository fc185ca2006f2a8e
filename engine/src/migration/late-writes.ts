/**
 * Writes that reached a renamed-away table between UNLOCK and RENAME. The
 * RENAME queues first on one table only (the first in metadata-lock order),
 * so with several altered tables a write waiting on another one can slip in.
 * It was captured; this settles it with the tables locked again, only when
 * there is something to settle.
 */
import type { Connection } from 'mysql2/promise';
import type { ServerTarget } from '../db/target.js';
import { reconcileLateWrites } from './drain.js';
import { tableExists } from './inspect.js';
import { METADATA_DB } from './names.js';
import { backRoute, forwardRoute } from './routes.js';
import { openEngineConnection, rows } from './session.js';
import { countChangelog, lockTablesWrite } from './sql.js';
import type { TableRecord } from './store.js';

/** Returns how long the locks were held (0 when nothing was late). */
export async function settleLateWrites(target: ServerTarget, conn: Connection, db: string, tables: TableRecord[], direction: 'forward' | 'reverse', lockWaitSeconds: number): Promise<number> {
  const side = direction === 'forward' ? 1 : 2;
  const late: TableRecord[] = [];
  for (const t of tables.filter((x) => x.kind === 'alter_table')) {
    if (!(await tableExists(conn, METADATA_DB, t.changelog!))) continue; // already cleaned up
    const counts = await rows<{ side: number; n: number }>(conn, countChangelog(METADATA_DB, t.changelog!));
    if (counts.some((c) => Number(c.side) === side && Number(c.n) > 0)) late.push(t);
  }
  if (late.length === 0) return 0;
  const away = (t: TableRecord): string => (direction === 'forward' ? t.old : t.shadow);
  const l = await openEngineConnection(target, { lockWaitSeconds });
  try {
    await l.query('SET SESSION autocommit = 0');
    await l.query(lockTablesWrite(late.flatMap((t) => [{ db, name: t.table }, { db, name: away(t) }, { db: METADATA_DB, name: t.changelog! }])));
    const started = Date.now();
    for (const t of late) {
      const route = direction === 'forward' ? forwardRoute(db, t, true) : { ...backRoute(db, t), from: t.shadow, to: t.table };
      const applied = await reconcileLateWrites(l, route, direction === 'forward' ? 2 : 1);
      if (process.env.SCHEMABRANCH_TRACE_CUTOVER) console.error(`[swap] ${direction}: ${applied} late write(s) to ${t.table} settled`);
    }
    await l.query('UNLOCK TABLES');
    return Date.now() - started;
  } finally {
    await l.end().catch(() => undefined);
  }
}
