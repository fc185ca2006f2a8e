/**
 * Concurrent application writers for the zero-loss proof. Each writer owns
 * the rows whose id is congruent to its number (mod the writer count) plus
 * the rows it inserts, so the expected final state is exactly the writes the
 * server acknowledged, in order, per row.
 */
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ServerTarget } from '../../src/db/target.js';
import { quoteQualified } from '../../src/sql/quote.js';
import { connect } from '../../../test/support/server.js';
import { waitUntil } from '../../../test/support/wait.js';

export interface Row {
  k: number;
  c: string;
}

export class AcknowledgedWrites<R = Row> {
  readonly rows = new Map<number, R>();
  acknowledged = 0;
  failed = 0;
  /** The first few errors writes got, so a test can say what the application saw. */
  readonly errors: string[] = [];
  /** The longest any one write took, acknowledged or not: what the application felt as a stall. */
  longestWriteMs = 0;
}

/**
 * The loop every set of test writers shares: `count` connections, each writing
 * until stopped. Writer w owns the rows whose id is congruent to w (mod count)
 * plus those it inserts; hold() parks every writer between two writes; each
 * write is counted acknowledged or failed (with the first few errors) and timed.
 */
export abstract class WriterLoops<R> {
  readonly acks = new AcknowledgedWrites<R>();
  private stopping = false;
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private parked = 0;
  private loops: Promise<void>[] = [];
  private conns: Connection[] = [];
  private ownedIds = new Map<number, number[]>();

  constructor(
    protected readonly target: ServerTarget,
    protected readonly db: string,
    protected readonly count: number,
  ) {}

  /**
   * Writer w's n-th write, on its own connection, among the ids it owns (`mine`,
   * kept in step by the write). It changes `acks.rows` only once the server
   * acknowledged the statement: one that failed rolled back.
   */
  protected abstract write(w: number, n: number, conn: Connection, mine: number[]): Promise<void>;

  async start(): Promise<void> {
    for (let w = 0; w < this.count; w++) {
      const conn = await connect(this.target, this.db);
      this.conns.push(conn);
      this.loops.push(this.loop(w, conn));
    }
  }

  /** Blocks every writer between two writes; resolves once all are parked. */
  async hold(): Promise<void> {
    this.held = new Promise((r) => (this.release = r));
    await waitUntil(() => this.parked >= this.count, 'every writer is parked', { intervalMs: 1 });
  }

  unhold(): void {
    this.release?.();
    this.held = undefined;
  }

  /** Resolves once every writer has made at least `n` more acknowledged writes. */
  async progress(n: number): Promise<void> {
    const goal = this.acks.acknowledged + n * this.count;
    await waitUntil(() => this.acks.acknowledged >= goal, `writers made ${n} more acknowledged writes each`, { intervalMs: 5 }).catch((err: unknown) => {
      // What the writers were told is the useful half of this failure.
      throw new Error(`${err instanceof Error ? err.message : String(err)}; ${this.acks.failed} writes failed: ${this.acks.errors.join(' | ') || 'none'}`);
    });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.unhold();
    this.stopping = true;
    await Promise.all(this.loops);
    await Promise.all(this.conns.map((c) => c.end()));
  }

  /** The ids writer `w` owns, kept in step with its own acknowledged inserts and deletes. */
  private owned(w: number): number[] {
    let ids = this.ownedIds.get(w);
    if (!ids) {
      ids = [...this.acks.rows.keys()].filter((id) => id % this.count === w);
      this.ownedIds.set(w, ids);
    }
    return ids;
  }

  private async loop(w: number, conn: Connection): Promise<void> {
    let n = 0;
    while (!this.stopping) {
      if (this.held) {
        this.parked++;
        await this.held;
        this.parked--;
      }
      n++;
      const began = Date.now();
      try {
        await this.write(w, n, conn, this.owned(w));
        this.acks.acknowledged++;
      } catch (err) {
        // Not acknowledged (e.g. a lock wait at cut-over): the statement rolled back, so the model stays as it was.
        this.acks.failed++;
        if (this.acks.errors.length < 5) this.acks.errors.push(err instanceof Error ? err.message : String(err));
      }
      this.acks.longestWriteMs = Math.max(this.acks.longestWriteMs, Date.now() - began);
    }
  }
}

/** Four writers on a test table (id, k, c): inserts, updates and deletes of the rows each owns. */
export class WriterPool extends WriterLoops<Row> {
  constructor(
    target: ServerTarget,
    db: string,
    private readonly table: string,
    count = 4,
  ) {
    super(target, db, count);
  }

  /** Seeds `n` rows (id 1..n) and records them as acknowledged. */
  async seed(n: number): Promise<void> {
    const c = await connect(this.target, this.db);
    try {
      await c.query(`INSERT INTO ${quoteQualified(this.db, this.table)} (id, k, c) SELECT seq, seq % 1000, CONCAT('row-', seq) FROM seq_1_to_${n}`);
    } finally {
      await c.end();
    }
    for (let i = 1; i <= n; i++) this.acks.rows.set(i, { k: i % 1000, c: `row-${i}` });
  }

  protected async write(w: number, n: number, conn: Connection, mine: number[]): Promise<void> {
    const t = quoteQualified(this.db, this.table);
    const op = n % 5;
    if (op === 0 || mine.length === 0) {
      const row = { k: n % 997, c: `w${w}-ins-${n}` };
      // Reserve ids this writer owns: explicit ids from a per-writer range keep ownership unambiguous.
      const id = 10_000_000 + w + this.count * n;
      await conn.query<ResultSetHeader>(`INSERT INTO ${t} (id, k, c) VALUES (?, ?, ?)`, [id, row.k, row.c]);
      this.acks.rows.set(id, row);
      mine.push(id);
    } else if (op === 4) {
      const id = mine[(n * 7919) % mine.length]!;
      await conn.query(`DELETE FROM ${t} WHERE id = ?`, [id]);
      this.acks.rows.delete(id);
      mine.splice(mine.indexOf(id), 1);
    } else {
      const id = mine[(n * 104729) % mine.length]!;
      const row = { k: (n * 31) % 1000, c: `w${w}-upd-${n}` };
      await conn.query(`UPDATE ${t} SET k = ?, c = ? WHERE id = ?`, [row.k, row.c, id]);
      this.acks.rows.set(id, row);
    }
  }
}

/** Compares the table with the acknowledged writes: returns missing, extra and differing ids. */
export async function compareWithAcks(target: ServerTarget, db: string, table: string, acks: AcknowledgedWrites): Promise<{ compared: number; missing: number[]; extra: number[]; different: number[] }> {
  const c = await connect(target, db);
  try {
    const [rows] = await c.query<RowDataPacket[]>(`SELECT id, k, c FROM ${quoteQualified(db, table)}`);
    const seen = new Set<number>();
    const extra: number[] = [];
    const different: number[] = [];
    for (const r of rows) {
      const id = Number(r.id);
      seen.add(id);
      const want = acks.rows.get(id);
      if (!want) extra.push(id);
      else if (want.k !== Number(r.k) || want.c !== String(r.c)) different.push(id);
    }
    const missing = [...acks.rows.keys()].filter((id) => !seen.has(id));
    return { compared: rows.length, missing, extra, different };
  } finally {
    await c.end();
  }
}
