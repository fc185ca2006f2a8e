/**
 * A throwaway main database and one branch database on the test server, with
 * a `users` table that the branch changes (a new column with an index).
 */
import { randomBytes } from 'node:crypto';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { connect, testTarget } from '../../../test/support/server.js';
import { quoteIdent } from '../../src/sql/quote.js';
import type { ServerTarget } from '../../src/db/target.js';
import { DeployRequests } from '../../src/deploy/requests.js';
import type { DeployRequestsOptions } from '../../src/deploy/core.js';

export const USERS = 'CREATE TABLE users (id int unsigned NOT NULL AUTO_INCREMENT, email varchar(100) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';
export const USERS_WITH_NICK =
  'CREATE TABLE users (id int unsigned NOT NULL AUTO_INCREMENT, email varchar(100) NOT NULL, nick varchar(20) NOT NULL DEFAULT \'\', PRIMARY KEY (id), KEY idx_users_nick (nick)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';
export const NOTES = 'CREATE TABLE notes (id int unsigned NOT NULL AUTO_INCREMENT, body varchar(100) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/** `SELECT n` for n in 1..count, without recursive CTEs (both servers cap their depth at 1000 by default). */
export function numbers(count: number): string {
  const digits = 'SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9';
  const places = Math.max(1, Math.ceil(Math.log10(count + 1)));
  const terms = Array.from({ length: places }, (_, k) => `d${k}.d * ${10 ** k}`).join(' + ');
  const from = Array.from({ length: places }, (_, k) => `(${digits}) d${k}`).join(' CROSS JOIN ');
  return `SELECT ${terms} + 1 AS n FROM ${from} WHERE ${terms} < ${count}`;
}

export interface Fixture {
  target: ServerTarget;
  main: string;
  branch: string;
  branchDb: string;
  conn: Connection;
  dr: DeployRequests;
  /** A second instance, as another process (or a restarted engine) would have. */
  another(overrides?: Partial<DeployRequestsOptions>): DeployRequests;
  columns(table: string): Promise<string[]>;
  tables(): Promise<string[]>;
  count(): Promise<number>;
  cleanup(): Promise<void>;
}

export async function fixture(opts: { rows?: number; branchSchema?: string[]; revertWindowSeconds?: number; target?: ServerTarget } = {}): Promise<Fixture> {
  // A test that stops or kills its server brings one of its own; the others share the run's.
  const target = opts.target ?? (await testTarget());
  const main = `dr_${randomBytes(4).toString('hex')}`;
  const branch = 'feat';
  const branchDb = `${main}__${branch}`;
  const conn = await connect(target);
  try {
    await conn.query(`CREATE DATABASE ${quoteIdent(main)}; CREATE DATABASE ${quoteIdent(branchDb)}`);
    await conn.query(`USE ${quoteIdent(main)}; ${USERS}; ${NOTES}`);
    const rows = opts.rows ?? 2000;
    if (rows > 0) await conn.query(`INSERT INTO users (email) SELECT CONCAT('u', n, '@example.com') FROM (${numbers(rows)}) seq`);
    await conn.query(`USE ${quoteIdent(branchDb)}; ${(opts.branchSchema ?? [USERS_WITH_NICK, NOTES]).join('; ')}`);
    await conn.query(`USE ${quoteIdent(main)}`);
  } catch (err) {
    await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(main)}; DROP DATABASE IF EXISTS ${quoteIdent(branchDb)}`).catch(() => undefined);
    await conn.end();
    throw err;
  }
  const options = (o: Partial<DeployRequestsOptions> = {}): DeployRequestsOptions => ({
    target,
    mainDatabase: main,
    branchDatabase: (b) => `${main}__${b}`,
    revertWindowSeconds: opts.revertWindowSeconds ?? 600,
    migration: { chunkTargetMs: 50 },
    ...o,
  });
  const made: DeployRequests[] = [];
  const dr = new DeployRequests(options());
  made.push(dr);
  return {
    target,
    main,
    branch,
    branchDb,
    conn,
    dr,
    another: (o) => {
      const x = new DeployRequests(options(o));
      made.push(x);
      return x;
    },
    columns: async (table) => {
      const [r] = await conn.query<RowDataPacket[]>('SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [main, table]);
      return r.map((x) => String(x.c));
    },
    tables: async () => {
      const [r] = await conn.query<RowDataPacket[]>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [main]);
      return r.map((x) => String(x.t));
    },
    count: async () => {
      const [r] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM users');
      return Number(r[0].n);
    },
    cleanup: async () => {
      for (const x of made) await x.dispose().catch(() => undefined);
      await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(main)}; DROP DATABASE IF EXISTS ${quoteIdent(branchDb)}`);
      await conn.end();
    },
  };
}

/** Inserts users one by one until stopped and returns every id the server acknowledged. */
export function writer(target: ServerTarget, database: string) {
  const ids: number[] = [];
  let stop = false;
  let conn: Connection | undefined;
  const done = (async () => {
    conn = await connect(target, database);
    for (let n = 0; !stop; n++) {
      const [res] = await conn.query(`INSERT INTO users (email) VALUES (?)`, [`w${n}@example.com`]);
      ids.push((res as { insertId: number }).insertId);
    }
  })();
  return {
    ids,
    async stop(): Promise<number[]> {
      stop = true;
      try {
        await done;
      } finally {
        await conn?.end();
      }
      return ids;
    },
  };
}

export async function countIds(conn: Connection, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const [r] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM users WHERE id IN (?)', [ids]);
  return Number(r[0].n);
}
