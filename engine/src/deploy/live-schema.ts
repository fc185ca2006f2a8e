/**
 * A database's schema as deploy requests see it: what the server shows, less the
 * engine's own tables and the online migration's helper tables, which are part
 * of nobody's schema.
 */
import type { Connection } from 'mysql2/promise';
import { withoutEngineTables } from '../branch/engine-tables.js';
// mysql2's overloaded query() does not match the reader's minimal Queryable type; at run time it is exactly that.
import { readLiveSchema, type Queryable } from '../db/introspect.js';
import type { Schema } from '../schema/model.js';

export async function readDeploySchema(conn: Connection, database: string): Promise<Schema> {
  const schema = withoutEngineTables(await readLiveSchema(conn as unknown as Queryable, database));
  return { ...schema, tables: schema.tables.filter((t) => !isHelperTable(t.name)) };
}

/**
 * The names engine/src/migration/names.ts derives today (`<table>_sb<id>_new|old`,
 * `~<prefix>_<hash>_sb<id>_new|old` when long); branch/engine-tables.ts still
 * knows the older `_<table>_sb<id>_<role>` form, which it filters itself.
 */
const HELPER_TABLE = /^~?.+_sb\d+_(new|old)$/;

export function isHelperTable(name: string): boolean {
  return HELPER_TABLE.test(name);
}
