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
import { WriterLoops } from '../migration/writers.js';
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

export class TableWriters extends WriterLoops<Payload> {
  /** The first id writers insert; writer w inserts firstInsert + w, + w + count, ... so it alone owns them (id % count === w). */
  private firstInsert = 1;
  /** Rows each writer has inserted so far: its next id follows from it. */
  private readonly inserted: number[] = [];
  /** Writes the server acknowledged that matched no row: the model and the table disagreed while writing. */
  vanished = 0;

  constructor(
    target: ServerTarget,
    db: string,
    private readonly shape: RowShape,
    count = 2,
  ) {
    super(target, db, count);
  }

  get rows(): Map<number, Payload> {
    return this.acks.rows;
  }

  get acknowledged(): number {
    return this.acks.acknowledged;
  }

  get failed(): number {
    return this.acks.failed;
  }

  get errors(): string[] {
    return this.acks.errors;
  }

  get longestWriteMs(): number {
    return this.acks.longestWriteMs;
  }

  set longestWriteMs(ms: number) {
    this.acks.longestWriteMs = ms;
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

  /** The key of row number `id`: the carrier holds `id`, the other parts values derived from it. */
  private keyOf(id: number): Array<string | number> {
    return this.shape.key.map((c, i) => valueFor(c, id, i === this.shape.carrier)!);
  }

  /** The text every write puts in the payload fits the column's original length, so a revert keeps it whole. */
  private text(s: string): string {
    return s.slice(0, this.shape.text.type.length ?? s.length);
  }

  protected async write(w: number, n: number, conn: Connection, mine: number[]): Promise<void> {
    const t = quoteQualified(this.db, this.shape.table);
    const where = this.shape.key.map((c) => `${quoteIdent(c.name)} = ?`).join(' AND ');
    const carrier = this.shape.key[this.shape.carrier]!;
    const max = isInteger(carrier) ? integerMax(carrier) : 10 ** Math.min(carrier.type.length ?? 15, 15) - 1;
    const op = n % 5;
    const next = this.firstInsert + w + this.count * (this.inserted[w] ?? 0);
    if ((op === 0 || mine.length === 0) && next <= max) {
      const id = next;
      this.inserted[w] = (this.inserted[w] ?? 0) + 1;
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
