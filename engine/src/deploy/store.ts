/**
 * The deploy request metadata store: reads and writes `_schemabranch.deploy_requests`
 * and its event log. Every state change is one transaction that locks the row,
 * checks the move with the state machine and appends an event, so two
 * processes (CLI and editor) cannot both move the same request.
 */
import type { ObjectStatement } from './objects.js';
import type { CopyTuning } from '../migration/index.js';
import type { Review, ReviewKind } from './reviews.js';
import type { InstantStatement } from '../migration/instant.js';
import { connectionOptions } from '../db/connection.js';
import { createConnection, createPool, type Connection, type Pool, type PoolConnection, type RowDataPacket, type ResultSetHeader } from 'mysql2/promise';
import { literalPool, literalSession } from '../db/connection.js';
import type { ServerTarget } from '../db/target.js';
import { quoteQualified } from '../sql/quote.js';
import type { DeployError, DeployEvent, DeployRequest, LintVerdict, StoredChange, TableProgressRecord } from './record.js';
import { transition, isDeployState, type DeployAction, type DeployState } from './state.js';
import {
  createStatements,
  upgradeStatements,
  insertEventSql,
  insertReviewSql,
  selectReviewsSql,
  insertRequestSql,
  selectEventsSql,
  selectRequestsSql,
  updateRequestSql,
  METADATA_DATABASE,
  REQUESTS_TABLE,
  EVENTS_TABLE,
  type PatchValue,
} from './store-sql.js';

/**
 * Bookkeeping connections: dates come back as strings and every timestamp is
 * written with UTC_TIMESTAMP(), so the server's clock is the only clock.
 */
function options(target: ServerTarget) {
  return { ...connectionOptions(target), bigNumberStrings: false };
}

export async function openConnection(target: ServerTarget): Promise<Connection> {
  return literalSession(await createConnection(options(target)));
}

export function openStorePool(target: ServerTarget): Pool {
  return literalPool(createPool({ ...options(target), connectionLimit: 4 }));
}

export interface NewDeployRequest {
  branch: string;
  branchDatabase: string;
  targetDatabase: string;
  changes: StoredChange[];
  lint: LintVerdict;
  mainFingerprints: Record<string, string>;
  revertWindowSeconds: number;
}

export class DeployRequestNotFoundError extends Error {
  /** `elsewhere`: the database the request targets when it exists but belongs to another workspace. */
  constructor(
    readonly id: number,
    scope?: string,
    elsewhere?: string,
  ) {
    super(
      elsewhere !== undefined
        ? `Deploy request #${id} targets database ${elsewhere}, not this workspace's ${scope ?? ''}; it belongs to another workspace and cannot be read or moved from here. List this workspace's requests with \`schemabranch deploy-request list\`.`
        : `There is no deploy request #${id}${scope !== undefined ? ` for database ${scope}` : ''} on this server. List them with \`schemabranch deploy-request list\`.`,
    );
    this.name = 'DeployRequestNotFoundError';
  }
}

export class DeployStore {
  /**
   * `scope`: the main database of the workspace using the store. Several
   * workspaces share one server's store; a scoped store sees and moves only
   * the requests that target its database.
   */
  constructor(
    private readonly conn: Pool,
    private readonly scope?: string,
  ) {}

  private async notFound(id: number): Promise<DeployRequestNotFoundError> {
    if (this.scope === undefined) return new DeployRequestNotFoundError(id);
    const { sql, params } = selectRequestsSql({ id });
    const [rows] = await this.conn.execute<RowDataPacket[]>(sql, params);
    return new DeployRequestNotFoundError(id, this.scope, rows[0] ? String(rows[0].target_database) : undefined);
  }

  /** Runs `fn` in a transaction on a connection of its own, so concurrent calls in one process never share one. */
  private async inTransaction<T>(fn: (c: PoolConnection) => Promise<T>): Promise<T> {
    const c = await this.conn.getConnection();
    try {
      await c.beginTransaction();
      try {
        const out = await fn(c);
        await c.commit();
        return out;
      } catch (err) {
        await c.rollback();
        throw err;
      }
    } finally {
      c.release();
    }
  }

  /** Creates or upgrades the store's tables; safe to run at every start and from several processes. */
  async ensure(): Promise<void> {
    for (const sql of createStatements()) await this.conn.query(sql);
    for (const table of [REQUESTS_TABLE, EVENTS_TABLE]) {
      const [rows] = await this.conn.query<RowDataPacket[]>(
        'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
        [METADATA_DATABASE, table],
      );
      for (const sql of upgradeStatements(table, rows.map((r) => String(r.name)))) {
        // Another process may add the same column at the same moment (1060: duplicate column): then it is there.
        await this.conn.query(sql).catch((err: unknown) => {
          if ((err as { errno?: number }).errno !== 1060) throw err;
        });
      }
    }
  }

  async insert(r: NewDeployRequest, actor: string): Promise<DeployRequest> {
    const values: Record<string, PatchValue> = {
      target_database: r.targetDatabase,
      branch: r.branch,
      branch_database: r.branchDatabase,
      state: 'open',
      changes: JSON.stringify(r.changes),
      deployable: r.lint.deployable,
      lint: JSON.stringify(r.lint),
      main_fingerprints: JSON.stringify(r.mainFingerprints),
      opened_by: actor,
      revert_window_seconds: r.revertWindowSeconds,
    };
    const { sql, params } = insertRequestSql(values);
    const id = await this.inTransaction(async (c) => {
      const [res] = await c.execute<ResultSetHeader>(sql, params);
      await c.execute(insertEventSql(), [res.insertId, null, 'open', `opened from branch ${r.branch}`, actor]);
      return res.insertId;
    });
    return this.get(id);
  }

  async find(id: number): Promise<DeployRequest | undefined> {
    const { sql, params } = selectRequestsSql({ id, targetDatabase: this.scope });
    const [rows] = await this.conn.execute<RowDataPacket[]>(sql, params);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async get(id: number): Promise<DeployRequest> {
    const r = await this.find(id);
    if (!r) throw await this.notFound(id);
    return r;
  }

  async list(where: { targetDatabase?: string; states?: readonly DeployState[] } = {}): Promise<DeployRequest[]> {
    if (this.scope !== undefined && where.targetDatabase !== undefined && where.targetDatabase !== this.scope) return [];
    const { sql, params } = selectRequestsSql({ ...where, targetDatabase: where.targetDatabase ?? this.scope });
    const [rows] = await this.conn.execute<RowDataPacket[]>(sql, params);
    return rows.map(fromRow);
  }

  /** Stores an approval or a comment and its line in the history, in one transaction. */
  async addReview(id: number, state: DeployState, review: { kind: ReviewKind; body: string | null; diff: string }, message: string, actor: string): Promise<void> {
    await this.get(id);
    await this.inTransaction(async (c) => {
      await c.execute(insertReviewSql(), [id, actor, review.kind, review.body, review.diff]);
      await c.execute(insertEventSql(), [id, state, state, message, actor]);
    });
  }

  async reviews(id: number): Promise<Review[]> {
    const [rows] = await this.conn.execute<RowDataPacket[]>(selectReviewsSql(), [id]);
    return rows.map((r) => ({ at: isoOf(r.at) ?? '', actor: String(r.actor), kind: String(r.kind) as ReviewKind, body: r.body === null ? null : String(r.body), diff: String(r.diff) }));
  }

  async events(id: number): Promise<DeployEvent[]> {
    const [rows] = await this.conn.execute<RowDataPacket[]>(selectEventsSql(), [id]);
    return rows.map((r) => ({
      id: Number(r.id),
      requestId: Number(r.request_id),
      at: isoOf(r.at) ?? '',
      fromState: r.from_state === null ? null : (String(r.from_state) as DeployState),
      toState: String(r.to_state) as DeployState,
      message: String(r.message),
      actor: String(r.actor),
    }));
  }

  /**
   * Moves request `id` by `action` and applies `patch`, atomically. `check`
   * runs on the locked row and may throw to refuse (e.g. a deadline passed).
   * Returns the record before and after.
   */
  async move(
    id: number,
    action: DeployAction,
    patch: Record<string, PatchValue>,
    message: string,
    actor: string,
    check?: (current: DeployRequest) => void,
  ): Promise<{ before: DeployRequest; after: DeployRequest }> {
    const before = await this.inTransaction(async (c) => {
      const sel = selectRequestsSql({ id, targetDatabase: this.scope }, true);
      const [rows] = await c.execute<RowDataPacket[]>(sel.sql, sel.params);
      if (!rows[0]) throw await this.notFound(id);
      const current = fromRow(rows[0]);
      const to = transition(id, current.state, action);
      check?.(current);
      const upd = updateRequestSql(id, { ...patch, state: to });
      await c.execute(upd.sql, upd.params);
      await c.execute(insertEventSql(), [id, current.state, to, message, actor]);
      return current;
    });
    return { before, after: await this.get(id) };
  }

  /** True when the request's revert window deadline has passed by the server's clock. */
  async windowExpired(id: number): Promise<boolean> {
    const [rows] = await this.conn.execute<RowDataPacket[]>(
      `SELECT \`window_deadline\` IS NOT NULL AND \`window_deadline\` <= UTC_TIMESTAMP(3) AS expired FROM ${quoteQualified(METADATA_DATABASE, REQUESTS_TABLE)} WHERE \`id\` = ?`,
      [id],
    );
    return Number(rows[0]?.expired) === 1;
  }

  /** Requests whose revert window has closed by the server's clock but are still complete_pending_revert. */
  async expiredWindows(targetDatabase: string): Promise<number[]> {
    const [rows] = await this.conn.query<RowDataPacket[]>(
      `SELECT \`id\` FROM ${quoteQualified(METADATA_DATABASE, REQUESTS_TABLE)} WHERE \`target_database\` = ? AND \`state\` = 'complete_pending_revert' AND \`window_deadline\` <= UTC_TIMESTAMP(3) ORDER BY \`id\``,
      [targetDatabase],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Changes fields without a state change (progress, migration id, cancel and pause flags, rebase). */
  async patch(id: number, patch: Record<string, PatchValue>): Promise<void> {
    const { sql, params } = updateRequestSql(id, patch);
    await this.conn.execute(sql, params);
  }

  /** Appends an event that is not a state change (a rebase, a resume, a pause). */
  async note(id: number, state: DeployState, message: string, actor: string): Promise<void> {
    await this.conn.execute(insertEventSql(), [id, state, state, message, actor]);
  }

  async currentUser(): Promise<string> {
    const [rows] = await this.conn.query<RowDataPacket[]>('SELECT CURRENT_USER() AS u');
    return String(rows[0]?.u ?? 'unknown');
  }
}

export function progressPatch(progress: TableProgressRecord[]): Record<string, PatchValue> {
  return { progress: JSON.stringify(progress) };
}

export function errorPatch(e: DeployError | null): Record<string, PatchValue> {
  return { error_message: e?.message ?? null, error_retry_safe: e ? e.retrySafe : null, error_during: e?.during ?? null, error_next: e?.next ?? null };
}

function isoOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  // 'YYYY-MM-DD HH:MM:SS.fff' in UTC (the session time zone is +00:00).
  return `${String(v).replace(' ', 'T')}Z`;
}

function json<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined || v === '') return fallback;
  return JSON.parse(String(v)) as T;
}

function fromRow(r: RowDataPacket): DeployRequest {
  const state = String(r.state);
  if (!isDeployState(state)) throw new Error(`Deploy request #${String(r.id)} has an unknown state ${JSON.stringify(state)}; it was written by a newer schemabranch. Upgrade schemabranch.`);
  const error: DeployError | null =
    r.error_message === null
      ? null
      : { message: String(r.error_message), retrySafe: Number(r.error_retry_safe) === 1, during: String(r.error_during ?? ''), next: String(r.error_next ?? '') };
  return {
    id: Number(r.id),
    branch: String(r.branch),
    branchDatabase: String(r.branch_database),
    targetDatabase: String(r.target_database),
    state,
    changes: json<StoredChange[]>(r.changes, []),
    lint: json<LintVerdict>(r.lint, { deployable: false, reasons: ['lint verdict missing'], findings: [] }),
    mainFingerprints: json<Record<string, string>>(r.main_fingerprints, {}),
    gated: Number(r.gated) === 1,
    migrationId: r.migration_id === null ? null : String(r.migration_id),
    openedBy: String(r.opened_by),
    owner: r.owner === null ? null : String(r.owner),
    cancelRequested: Number(r.cancel_requested) === 1,
    // Absent only on a row read before ensure() upgraded the table.
    paused: Number(r.paused ?? 0) === 1,
    tuning: r.tuning === null || r.tuning === undefined ? null : json<CopyTuning>(r.tuning, {}),
    instantUndo: r.instant_undo === null || r.instant_undo === undefined ? null : json<InstantStatement[]>(r.instant_undo, []),
    objectUndo: r.object_undo === null || r.object_undo === undefined ? null : json<ObjectStatement[]>(r.object_undo, []),
    progress: json<TableProgressRecord[]>(r.progress, []),
    error,
    revertWindowSeconds: Number(r.revert_window_seconds),
    createdAt: isoOf(r.created_at) ?? '',
    updatedAt: isoOf(r.updated_at) ?? '',
    startedAt: isoOf(r.started_at),
    cutOverAt: isoOf(r.cut_over_at),
    windowDeadline: isoOf(r.window_deadline),
    finishedAt: isoOf(r.finished_at),
  };
}
