/**
 * Replica lag (issue 11; gh-ost's max-lag-millis, Spirit's replica-max-lag):
 * the row copy writes as fast as the primary allows, and a replica applies
 * those writes one after another, so a long copy can leave replicas minutes
 * behind. The copy pauses while any replica lags more than the limit (or has
 * stopped applying), and the cut-over waits until they have caught up.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { connectionOptions } from '../db/connection.js';
import type { ServerTarget } from '../db/target.js';
import { describeTarget } from '../db/target.js';
import { errno, rows, sleep } from './session.js';

export interface ReplicaState {
  replica: string;
  /** Lag in milliseconds (whole seconds as the server counts them); null when the replica is not applying. */
  lagMs: number | null;
  /** Why it is not applying, in the server's words. */
  problem?: string;
}

type Status = Record<string, string | number | null>;

/** One replica's lag, from SHOW REPLICA STATUS (MariaDB 10.5+, MySQL 8.0.22+) or SHOW SLAVE STATUS. */
export async function replicaState(conn: Connection, name: string): Promise<ReplicaState> {
  const status = await rows<Status>(conn, 'SHOW REPLICA STATUS').catch(async (err: unknown) => {
    if (errno(err) !== 1064) throw err;
    return rows<Status>(conn, 'SHOW SLAVE STATUS');
  });
  const s = status[0];
  if (!s) return { replica: name, lagMs: null, problem: 'it is not a replica (SHOW REPLICA STATUS is empty)' };
  const running = (k: string): boolean => String(s[`Replica_${k}_Running`] ?? s[`Slave_${k}_Running`] ?? '') === 'Yes';
  if (!running('SQL')) return { replica: name, lagMs: null, problem: `its SQL thread is stopped${s.Last_SQL_Error ? ` (${String(s.Last_SQL_Error)})` : ''}` };
  if (!running('IO')) return { replica: name, lagMs: null, problem: `its IO thread is stopped${s.Last_IO_Error ? ` (${String(s.Last_IO_Error)})` : ''}` };
  const seconds = s.Seconds_Behind_Source ?? s.Seconds_Behind_Master;
  return seconds === null || seconds === undefined ? { replica: name, lagMs: null, problem: 'it reports no lag' } : { replica: name, lagMs: Number(seconds) * 1000 };
}

/** Connections to the replicas a migration watches; opened lazily, closed with the migration. */
export class ReplicaWatch {
  private conns: Array<{ name: string; conn: Connection }> | undefined;

  constructor(
    private readonly replicas: ServerTarget[],
    private readonly maxLagMs: number,
  ) {}

  get watching(): boolean {
    return this.replicas.length > 0;
  }

  private async open(): Promise<Array<{ name: string; conn: Connection }>> {
    this.conns ??= await Promise.all(this.replicas.map(async (t) => ({ name: describeTarget(t), conn: await createConnection(connectionOptions(t)) })));
    return this.conns;
  }

  /** Why the copy should wait now (a replica too far behind, or not applying), or undefined when every replica keeps up. */
  async lagging(): Promise<string | undefined> {
    if (!this.watching) return undefined;
    const why: string[] = [];
    for (const { name, conn } of await this.open()) {
      const s = await replicaState(conn, name);
      if (s.lagMs === null) why.push(`replica ${name}: ${s.problem ?? 'not applying'}`);
      else if (s.lagMs > this.maxLagMs) why.push(`replica ${name} is ${s.lagMs / 1000} s behind (limit ${this.maxLagMs} ms)`);
    }
    return why.length ? why.join('; ') : undefined;
  }

  /** Waits until every replica keeps up, telling `onWait` once; gives up with what still lags after `timeoutMs`. */
  async caughtUp(timeoutMs: number, onWait?: (why: string) => void, signal?: AbortSignal): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (let told = false; ; ) {
      const why = await this.lagging();
      if (!why) return undefined;
      if (Date.now() >= deadline || signal?.aborted) return why;
      if (!told) onWait?.(why);
      told = true;
      await sleep(250);
    }
  }

  async close(): Promise<void> {
    for (const { conn } of this.conns ?? []) await conn.end().catch(() => undefined);
    this.conns = undefined;
  }
}
