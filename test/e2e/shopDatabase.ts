import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { Sandbox } from '../../engine/src/sandbox/sandbox.js';
import { waitFor } from './processes.js';

/**
 * The e2e's side door into the workspace's embedded server: what an
 * application would do (write rows) and what a person would check (column
 * types, rows kept), through the sandbox's socket with mysql2.
 */
export class ShopDatabase {
  private conn: Connection | undefined;
  private readonly sandbox: Sandbox;

  constructor(
    sandboxDir: string,
    private readonly database: string,
  ) {
    this.sandbox = new Sandbox({ dir: sandboxDir });
  }

  sandboxPid(): number | undefined {
    try {
      return (JSON.parse(readFileSync(join(this.sandbox.dir, 'state.json'), 'utf8')) as { pid: number }).pid;
    } catch {
      return undefined;
    }
  }

  private async connection(): Promise<Connection> {
    if (this.conn) return this.conn;
    const status = await this.sandbox.status();
    if (!status.running) throw new Error(`the workspace's sandbox server is not running: ${status.reason}`);
    this.conn = await createConnection({ ...status.target, database: this.database, multipleStatements: true });
    return this.conn;
  }

  /** Waits until the extension has loaded main into the sandbox (the table exists). */
  async waitForTable(table: string, timeoutMs: number): Promise<void> {
    let last = '';
    const ok = await waitFor(
      async () => {
        try {
          const c = await this.connection();
          await c.query(`SELECT 1 FROM \`${table}\` LIMIT 1`);
          return true;
        } catch (err) {
          last = String(err);
          this.conn = undefined;
          return false;
        }
      },
      timeoutMs,
      500,
    );
    if (!ok) throw new Error(`${this.database}.${table} never appeared in the sandbox: ${last}`);
  }

  /** Enough rows that the deploy's copy takes long enough to show progress. */
  async seedCoupons(rows: number): Promise<void> {
    const c = await this.connection();
    const batch = 2000;
    for (let start = 0; start < rows; start += batch) {
      const values = Array.from({ length: Math.min(batch, rows - start) }, (_, i) => [`SEED-${start + i}`, ((start + i) % 500) / 10, '2026-01-01']);
      await c.query('INSERT INTO coupons (code, discount_amount, valid_from) VALUES ?', [values]);
    }
  }

  async insertMarkedCoupons(n: number): Promise<void> {
    const c = await this.connection();
    for (let i = 0; i < n; i++) await c.query('INSERT INTO coupons (code, discount_amount, valid_from) VALUES (?, ?, ?)', [`E2E-WINDOW-${i}`, 12.5, '2026-02-01']);
  }

  async markedCoupons(): Promise<number> {
    const c = await this.connection();
    const [rows] = await c.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM coupons WHERE code LIKE 'E2E-WINDOW-%'");
    return Number(rows[0]?.n);
  }

  async columnType(table: string, column: string): Promise<string> {
    const c = await this.connection();
    const [rows] = await c.query<RowDataPacket[]>('SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?', [this.database, table, column]);
    return String(rows[0]?.t ?? 'missing');
  }

  /**
   * A second person on the team: a database account of their own, as a colleague
   * reviewing from their terminal would have. Returns the URL their CLI connects with.
   */
  async addReviewer(user: string, password: string): Promise<string> {
    const c = await this.connection();
    await c.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [user, 'localhost', password]);
    await c.query('GRANT ALL PRIVILEGES ON *.* TO ?@?', [user, 'localhost']);
    const status = await this.sandbox.status();
    if (!status.running || !status.target.socketPath) throw new Error('the sandbox has no socket to reach');
    return `mysql://${user}@localhost?socket=${encodeURIComponent(status.target.socketPath)}`;
  }

  async close(): Promise<void> {
    await this.conn?.end().catch(() => undefined);
    this.conn = undefined;
  }

  async stopSandbox(): Promise<void> {
    await this.sandbox.stop();
  }
}
