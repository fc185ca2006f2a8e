import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import type { ServerTarget } from '../../engine/src/db/target.js';
import { quoteIdent } from '../../engine/src/sql/quote.js';
import { mysql2Ssl } from '../../engine/src/db/tls.js';
import { Sandbox } from '../../engine/src/sandbox/sandbox.js';

/**
 * The real server tests run against. `npm test` starts one sandbox for the
 * whole run and passes it in SCHEMABRANCH_TEST_SERVER; a test file run on its
 * own starts (or reuses) a sandbox in .sandbox/dev.
 */
export async function testTarget(): Promise<ServerTarget> {
  const fromEnv = process.env.SCHEMABRANCH_TEST_SERVER;
  if (fromEnv) return JSON.parse(fromEnv) as ServerTarget;
  return new Sandbox({ dir: join(__dirname, '..', '..', '.sandbox', 'dev') }).start();
}

/** A test's own connection (several statements per query allowed, unlike the product's), over TLS when the target asks. */
export async function connect(target: ServerTarget, database?: string): Promise<Connection> {
  const { tls, ...plain } = target;
  return createConnection({ ...plain, ssl: target.socketPath ? undefined : mysql2Ssl(tls), database, multipleStatements: true });
}

/** A new, empty, uniquely named database; drop it with the returned function. */
export async function freshDatabase(prefix = 't'): Promise<{ target: ServerTarget; database: string; drop: () => Promise<void> }> {
  const target = await testTarget();
  const database = `${prefix}_${randomBytes(4).toString('hex')}`;
  const conn = await connect(target);
  try {
    await conn.query(`CREATE DATABASE ${quoteIdent(database)}`);
  } finally {
    await conn.end();
  }
  return {
    target,
    database,
    drop: async () => {
      const c = await connect(target);
      try {
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
      } finally {
        await c.end();
      }
    },
  };
}
