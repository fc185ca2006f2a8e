/**
 * Application writers on one real table of the corpus, the way WriterPool
 * (migration/writers.ts) writes its test table: each writer owns the rows whose
 * key is congruent to its number and the rows it inserts, inserts, updates and
 * deletes them, and records each write the server acknowledged. What the table
 * must hold afterwards is exactly those writes, row by row.
 */
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ServerTarget } from '../../src/db/target.js';
import type { Column } from '../../src/schema/model.js';
import { quoteIdent, quoteQualified } from '../../src/sql/quote.js';
import { connect } from '../../../test/support/server.js';
import { waitUntil } from '../../../test/support/wait.js';
import { integerMax, isInteger, valueFor } from './row-values.js';

/** The table the writers write: its key, the columns they change, and what an INSERT must also name. */
export interface RowShape {
  table: string;
  /** The primary key's columns; `carrier` is the one whose value is the row's number, the others derive from it. */
  key: Column[];
  carrier: number;
  /** A varchar the writers update (values short enough for its original length). */
  text: Column;
  /** An integer column the writers update too, when the table has one that is free to change. */
  number?: Column;
  required: Array<{ column: Column; distinct: boolean }>;
}

interface Payload {
  text: string;
  number: number | null;
}

export class TableWriters {
  readonly rows = new Map<number, Payload>();
  acknowledged = 0;
  failed = 0;
  readonly errors: string[] = [];
  longestWriteMs = 0;
  private stopping = false;
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private parked = 0;
  private loops: Promise<void>[] = [];
  private conns: Connection[] = [];
  /** The first id writers insert; writer w inserts firstInsert + w, + w + count, ... so it alone owns them (id % count === w). */
  private firstInsert = 1;
  /** Writes the server acknowledged that matched no row: the model and the table disagreed while writing. */
  vanished = 0;

  constructor(
    private readonly target: ServerTarget,
    private readonly db: string,
    private readonly shape: RowShape,
    private readonly count = 2,
  ) {
  }

  private insertSql(): string {
    const cols = [...this.shape.key, this.shape.text, ...(this.shape.number ? [this.shape.number] : []), ...this.shape.required.map((r) => r.column)];
    return `INSERT INTO ${quoteQualified(this.db, this.shape.table)} (${cols.map((c) => quoteIdent(c.name)).join(', ')}) VALUES `;
  }

  private values(id: number, p: Payload): Array<string | number | null> {
    return [...this.keyOf(id), p.text, ...(this.shape.number ? [p.number] : []), ...this.shape.required.map((r) => valueFor(r.column, id, r.distinct) ?? null)];
  }

  /** Inserts rows 1..n, in batches, and records them as acknowledged. */
  async seed(n: number): Promise<void> {
    const c = await connect(this.target, this.db);
    try {
      const width = this.shape.key.length + 2 + this.shape.required.length - (this.shape.number ? 0 : 1);
      for (let from = 1; from <= n; from += 500) {
        const ids = Array.from({ length: Math.min(500, n - from + 1) }, (_, i) => from + i);
        const payloads = ids.map((id) => ({ text: `r${id}`, number: this.shape.number ? id % 100 : null }));
        const row = `(${Array(width).fill('?').join(', ')})`;
        await c.query(this.insertSql() + ids.map(() => row).join(', '), ids.flatMap((id, i) => this.values(id, payloads[i]!)));
        ids.forEach((id, i) => this.rows.set(id, payloads[i]!));
      }
    } finally {
      await c.end();
    }
    this.firstInsert = Math.ceil((n + 1) / this.count) * this.count;
  }

  async start(): Promise<void> {
    for (let w = 0; w < this.count; w++) {
      const conn = await connect(this.target, this.db);
      this.conns.push(conn);
      this.loops.push(this.loop(w, conn));
    }
  }

  async hold(): Promise<void> {
    this.held = new Promise((r) => (this.release = r));
    await waitUntil(() => this.parked >= this.count, 'every writer is parked', { intervalMs: 1 });
  }

  unhold(): void {
    this.release?.();
    this.held = undefined;
  }

  /** Resolves once the writers have made `n` more acknowledged writes each. */
  async progress(n: number): Promise<void> {
    const goal = this.acknowledged + n * this.count;
    await waitUntil(() => this.acknowledged >= goal, `writers made ${n} more acknowledged writes each`, { intervalMs: 5 }).catch((err: unknown) => {
      // What the writers were told is the useful half of this failure.
      throw new Error(`${err instanceof Error ? err.message : String(err)}; ${this.failed} writes failed: ${this.errors.join(' | ') || 'none'}`);
    });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.unhold();
    this.stopping = true;
    await Promise.all(this.loops);
    await Promise.all(this.conns.map((c) => c.end()));
  }

  private owned = new Map<number, number[]>();

  private mine(w: number): number[] {
    let ids = this.owned.get(w);
    if (!ids) {
      ids = [...this.rows.keys()].filter((id) => id % this.count === w);
      this.owned.set(w, ids);
    }
    return ids;
  }

  /** The key of row number `id`: the carrier holds `id`, the other parts values derived from it. */
  private keyOf(id: number): Array<string | number> {
    return this.shape.key.map((c, i) => valueFor(c, id, i === this.shape.carrier)!);
  }

  /** The text every write puts in the payload fits the column's original length, so a revert keeps it whole. */
  private text(s: string): string {
    return s.slice(0, this.shape.text.type.length ?? s.length);
  }

  private async loop(w: number, conn: Connection): Promise<void> {
    const t = quoteQualified(this.db, this.shape.table);
    const where = this.shape.key.map((c) => `${quoteIdent(c.name)} = ?`).join(' AND ');
    const carrier = this.shape.key[this.shape.carrier]!;
    const max = isInteger(carrier) ? integerMax(carrier) : 10 ** Math.min(carrier.type.length ?? 15, 15) - 1;
    let n = 0;
    let inserted = 0;
    while (!this.stopping) {
      if (this.held) {
        this.parked++;
        await this.held;
        this.parked--;
      }
      n++;
      const mine = this.mine(w);
      const op = n % 5;
      const began = Date.now();
      try {
        const next = this.firstInsert + w + this.count * inserted;
        if ((op === 0 || mine.length === 0) && next <= max) {
          const id = next;
          inserted++;
          const p = { text: this.text(`w${w}i${n}`), number: this.shape.number ? (n * 7) % 100 : null };
          await conn.query(`${this.insertSql()}(${this.values(id, p).map(() => '?').join(', ')})`, this.values(id, p));
          this.rows.set(id, p);
          mine.push(id);
        } else if (op === 4 && mine.length > 0) {
          const id = mine[(n * 7919) % mine.length]!;
          const [res] = await conn.query<ResultSetHeader>(`DELETE FROM ${t} WHERE ${where}`, this.keyOf(id));
          if (res.affectedRows !== 1) this.vanished++;
          this.rows.delete(id);
          mine.splice(mine.indexOf(id), 1);
        } else if (mine.length > 0) {
          const id = mine[(n * 104729) % mine.length]!;
          const p = { text: this.text(`w${w}u${n}`), number: this.shape.number ? (n * 31) % 100 : null };
          const set = [`${quoteIdent(this.shape.text.name)} = ?`, ...(this.shape.number ? [`${quoteIdent(this.shape.number.name)} = ?`] : [])].join(', ');
          // mysql2 asks for found rows: 1 whenever the row is there, changed or not.
          const [res] = await conn.query<ResultSetHeader>(`UPDATE ${t} SET ${set} WHERE ${where}`, [p.text, ...(this.shape.number ? [p.number] : []), ...this.keyOf(id)]);
          if (res.affectedRows !== 1) this.vanished++;
          this.rows.set(id, p);
        }
        this.acknowledged++;
      } catch (err) {
        // Not acknowledged (e.g. a lock wait at cut-over): the statement rolled back, so the model stays as it was.
        this.failed++;
        if (this.errors.length < 5) this.errors.push(err instanceof Error ? err.message : String(err));
      }
      this.longestWriteMs = Math.max(this.longestWriteMs, Date.now() - began);
    }
  }

  /** The table against the acknowledged writes: ids missing, extra, or holding other values. */
  async compare(): Promise<{ compared: number; missing: number[]; extra: number[]; different: number[] }> {
    const c = await connect(this.target, this.db);
    try {
      const cols = [this.shape.key[this.shape.carrier]!, this.shape.text, ...(this.shape.number ? [this.shape.number] : [])].map((x) => quoteIdent(x.name)).join(', ');
      const [rows] = await c.query<RowDataPacket[]>({ sql: `SELECT ${cols} FROM ${quoteQualified(this.db, this.shape.table)}`, rowsAsArray: true });
      const seen = new Set<number>();
      const extra: number[] = [];
      const different: number[] = [];
      for (const r of rows as unknown as unknown[][]) {
        // A binary(n) key comes back padded with zero bytes.
        const id = Number(Buffer.isBuffer(r[0]) ? r[0].toString('latin1').replace(/\0+$/, '') : r[0]);
        seen.add(id);
        const want = this.rows.get(id);
        if (!want) extra.push(id);
        else if (want.text !== String(r[1]) || (this.shape.number && want.number !== Number(r[2]))) different.push(id);
      }
      const missing = [...this.rows.keys()].filter((id) => !seen.has(id));
      return { compared: rows.length, missing, extra, different };
    } finally {
      await c.end();
    }
  }
}
