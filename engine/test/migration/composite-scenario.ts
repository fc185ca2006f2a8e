/** The composite-key load scenario (issue 10, finding 9): PRIMARY KEY (k, id) plus UNIQUE(id), four writers that move rows between keys. */
import type { ServerTarget } from '../../src/db/target.js';
import { OnlineMigration } from '../../src/migration/index.js';
import { quoteQualified } from '../../src/sql/quote.js';
import { freshDatabase } from '../../../test/support/server.js';
import { alterChange, exec } from './scenario.js';
import { WriterPool } from './writers.js';

export interface CompositeLoad {
  target: ServerTarget;
  database: string;
  drop: () => Promise<void>;
  writers: WriterPool;
  /** Prepares the deploy that adds a column to `items`. */
  prepare: () => Promise<OnlineMigration>;
}

/** A fresh database with `items` seeded with `rows` rows and four writers running (each has made 20 writes). */
export async function compositeKeyUnderLoad(prefix: string, rows: number): Promise<CompositeLoad> {
  const { target, database, drop } = await freshDatabase(prefix);
  const writers = new WriterPool(target, database, 'items', 4);
  try {
    // Writers move rows between keys (they update k, part of the primary key) and find them by id.
    await exec(
      target,
      database,
      `CREATE TABLE ${quoteQualified(database, 'items')} (id int NOT NULL, k int NOT NULL, c varchar(64) NOT NULL DEFAULT '', extra varchar(20) NOT NULL DEFAULT 'x', PRIMARY KEY (k, id), UNIQUE KEY id (id)) ENGINE=InnoDB`,
    );
    await writers.seed(rows);
    await writers.start();
    await writers.progress(20);
  } catch (err) {
    await writers.stop().catch(() => undefined);
    await drop();
    throw err;
  }
  const prepare = (): Promise<OnlineMigration> =>
    OnlineMigration.prepare(target, database, 7_000_000 + Math.floor(Math.random() * 1_000_000), [alterChange('items', 'ADD COLUMN `added` int NOT NULL DEFAULT 7')], { chunkTargetMs: 50 });
  return { target, database, drop, writers, prepare };
}
