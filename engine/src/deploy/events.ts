/**
 * What a deploy request tells its watchers, so the language server can push
 * it to the editor and the CLI can draw progress: no one polls.
 * Shapes follow server/src/protocol.ts (DeployStateChanged, DeployProgress, RevertWindow).
 */
import { EventEmitter } from 'node:events';
import type { DeployRequest } from './record.js';
import type { DeployState } from './state.js';
import type { TableProgress } from '../migration/index.js';

export interface StateChange {
  id: number;
  previous: DeployState | null;
  state: DeployState;
  /** What happened, in words (the error that stopped the deploy, the cut-over stall, ...). */
  message: string;
  /** Set in error states: whether running the command again is safe. */
  retrySafe?: boolean;
  at: string;
  request: DeployRequest;
}

export type ProgressPhase = 'copying' | 'waiting-cutover' | 'cutting-over' | 'done';

export interface DeployProgress {
  id: number;
  phase: ProgressPhase;
  tables: TableProgress[];
  /** Present and true while the copy is paused by `pause` (each idle beat repeats it). */
  paused?: true;
  /** Present while the copy waits by itself: why (a replica behind, the server busy). */
  throttled?: string;
}

export interface RevertWindowChange {
  id: number;
  /** ISO 8601 UTC; null when the window closed (reverted, skipped or expired). */
  deadline: string | null;
  tables: string[];
}

export interface DeployEventMap {
  state: [StateChange];
  progress: [DeployProgress];
  window: [RevertWindowChange];
}

/** Node's EventEmitter with the three events typed. */
export class DeployEvents extends EventEmitter<DeployEventMap> {}
