/** A throwaway workspace on disk whose databases are unique to one test, dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { loadWorkspaceConfig } from '../../src/config/load.js';
import type { WorkspaceConfig } from '../../src/config/types.js';
import { withConnection } from '../../src/db/connection.js';
import type { ServerTarget } from '../../src/db/target.js';
import { Branches } from '../../src/branch/branches.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { testTarget } from '../../../test/support/server.js';

export interface TestWorkspace {
  root: string;
  config: WorkspaceConfig;
  target: ServerTarget;
  branches: Branches;
  write(relPath: string, text: string): void;
  /** Drops every database of this workspace and removes its folder. */
  cleanup(): Promise<void>;
}

/** `url` for schemabranch.json that reaches the test server (socket when there is one). */
export function urlOf(target: ServerTarget): string {
  return target.socketPath ? `mysql://${target.user}@localhost?socket=${encodeURIComponent(target.socketPath)}` : `mysql://${target.user}@${target.host ?? '127.0.0.1'}:${target.port ?? 3306}`;
}

export async function testWorkspace(files: Record<string, string>, prefix = 'br'): Promise<TestWorkspace> {
  const target = await testTarget();
  const root = mkdtempSync(join(tmpdir(), 'sb-ws-'));
  const database = `${prefix}_${randomBytes(4).toString('hex')}`;
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write('schemabranch.json', JSON.stringify({ database, connection: { url: urlOf(target) } }, null, 2));
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  const config = loadWorkspaceConfig(root);
  return {
    root,
    config,
    target,
    branches: new Branches(root, config, target),
    write,
    cleanup: async () => {
      await withConnection(target, undefined, async (conn) => {
        for (const db of await databasesOf(conn, database)) await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(db)}`);
      });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function databasesOf(conn: import('mysql2/promise').Connection, database: string): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA');
  return rows.map((r) => String(r.n)).filter((n) => n === database || n.startsWith(`${database}__`));
}

export async function columnsOf(target: ServerTarget, database: string, table: string): Promise<string[]> {
  return withConnection(target, undefined, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [database, table]);
    return rows.map((r) => String(r.c));
  });
}

export async function tablesOf(target: ServerTarget, database: string): Promise<string[]> {
  return withConnection(target, undefined, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [database]);
    return rows.map((r) => String(r.t));
  });
}

export const USERS = `CREATE TABLE users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
`;

export const POSTS = `CREATE TABLE posts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  title VARCHAR(200) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_posts_user (user_id),
  CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
`;
