/**
 * A timer at the next revert window deadline, so a long-lived host (the
 * language server) drops the old tables on time; reconcile() covers the
 * deadlines that pass while nothing runs. Times come from the server's clock.
 */
import type { RowDataPacket } from 'mysql2/promise';
import type { DeployCore } from './core.js';
import { METADATA_DATABASE, REQUESTS_TABLE } from './store-sql.js';
import { quoteQualified } from '../sql/quote.js';

/** Timers beyond this are re-armed later (setTimeout's limit is ~24.8 days). */
const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

export class RevertWindowWatch {
  private timer: NodeJS.Timeout | undefined;
  private active = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly core: DeployCore,
    private readonly closeExpired: () => Promise<void>,
  ) {}

  start(): void {
    this.active = true;
    this.reschedule();
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Re-arms the timer for the earliest open window; called when a window opens. */
  reschedule(): void {
    if (!this.active) return;
    this.msUntilNextDeadline().then(
      (ms) => {
        if (!this.active) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        if (ms === undefined) return;
        this.timer = setTimeout(() => this.fire(), Math.min(Math.max(ms, 0) + 50, MAX_DELAY_MS));
        this.timer.unref();
      },
      () => undefined,
    );
  }

  private fire(): void {
    this.timer = undefined;
    this.closing ??= this.closeExpired()
      .catch(() => undefined)
      .finally(() => {
        this.closing = undefined;
        this.reschedule();
      });
  }

  private async msUntilNextDeadline(): Promise<number | undefined> {
    const [rows] = await this.core.pool.query<RowDataPacket[]>(
      `SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), MIN(\`window_deadline\`)) AS us FROM ${quoteQualified(METADATA_DATABASE, REQUESTS_TABLE)} WHERE \`target_database\` = ? AND \`state\` = 'complete_pending_revert'`,
      [this.core.opts.mainDatabase],
    );
    const us = rows[0]?.us;
    return us === null || us === undefined ? undefined : Number(us) / 1000;
  }
}
