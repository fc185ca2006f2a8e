import type { DeployProgressParams, DeployRequestInfo, DeployStateChangedParams, RevertWindowParams, ServerStatusParams } from './protocol.js';
import type { RevertWindow } from './revertStatus.js';

export type BoardChange = 'requests' | 'revertWindows' | 'progress' | 'serverStatus';
type Listener = (change: BoardChange) => void;

/**
 * What the client knows of the server's deploy requests, kept current by the
 * server's notifications (never by polling). Node-only, so node:test drives it
 * with the same payloads the server sends.
 */
export class DeployBoard {
  private readonly requests = new Map<number, DeployRequestInfo>();
  private readonly windows = new Map<number, RevertWindow>();
  private readonly progress = new Map<number, DeployProgressParams>();
  /** Every table's latest figures, per request: a deploy of several tables reports them in turn. */
  private readonly tables = new Map<number, Map<string, DeployProgressParams>>();
  private status: ServerStatusParams | undefined;
  private readonly listeners = new Set<Listener>();

  onChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(change: BoardChange): void {
    for (const l of [...this.listeners]) l(change);
  }

  /** A full list from the server replaces what we had; deadlines in it reopen windows after a reload. */
  replaceAll(list: readonly DeployRequestInfo[]): void {
    this.requests.clear();
    for (const dr of list) this.requests.set(dr.number, dr);
    for (const dr of list) {
      if (dr.state === 'complete_pending_revert' && dr.revertDeadline) {
        const known = this.windows.get(dr.number);
        this.windows.set(dr.number, { number: dr.number, deadline: Date.parse(dr.revertDeadline), tables: known?.tables ?? [] });
      } else {
        this.windows.delete(dr.number);
      }
    }
    this.emit('requests');
    this.emit('revertWindows');
  }

  upsert(dr: DeployRequestInfo): void {
    this.requests.set(dr.number, dr);
    this.emit('requests');
  }

  /** Returns false when the notification is about a request we have not listed yet (caller re-lists). */
  applyStateChange(p: DeployStateChangedParams): boolean {
    const dr = this.requests.get(p.number);
    if (p.state !== 'in_progress' && p.state !== 'queued') {
      this.progress.delete(p.number);
      this.tables.delete(p.number);
    }
    if (p.state !== 'complete_pending_revert' && this.windows.delete(p.number)) this.emit('revertWindows');
    if (!dr) return false;
    this.requests.set(p.number, { ...dr, state: p.state, updatedAt: p.at, error: p.state.startsWith('error') && p.message ? { message: p.message, retrySafe: p.retrySafe ?? false } : undefined });
    this.emit('requests');
    return true;
  }

  applyRevertWindow(p: RevertWindowParams): void {
    if (p.deadline === null) this.windows.delete(p.number);
    else this.windows.set(p.number, { number: p.number, deadline: Date.parse(p.deadline), tables: p.tables });
    this.emit('revertWindows');
  }

  applyProgress(p: DeployProgressParams): void {
    this.progress.set(p.number, p);
    let tables = this.tables.get(p.number);
    if (!tables) this.tables.set(p.number, (tables = new Map()));
    tables.set(p.table, p);
    this.emit('progress');
  }

  setServerStatus(s: ServerStatusParams): void {
    this.status = s;
    this.emit('serverStatus');
  }

  list(): DeployRequestInfo[] {
    return [...this.requests.values()].sort((a, b) => b.number - a.number);
  }
  get(number: number): DeployRequestInfo | undefined {
    return this.requests.get(number);
  }
  revertWindows(): RevertWindow[] {
    return [...this.windows.values()];
  }
  latestProgress(number: number): DeployProgressParams | undefined {
    return this.progress.get(number);
  }
  /** The running copy's tables, each with its latest figures, in the order they first reported. */
  tableProgress(number: number): DeployProgressParams[] {
    return [...(this.tables.get(number)?.values() ?? [])];
  }
  serverStatus(): ServerStatusParams | undefined {
    return this.status;
  }
}
