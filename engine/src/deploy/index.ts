/** Deploy requests: the public surface for the CLI and the language server. */
export { DeployRequests } from './requests.js';
export { deployRequestsFor, deployRequestsOptions } from './workspace.js';
export {
  DEFAULT_REVERT_WINDOW_SECONDS,
  DeployBusyError,
  MainMovedError,
  NoChangesError,
  NotDeployableError,
  type DeployRequestsOptions,
} from './core.js';
export { DeployEvents, type DeployEventMap, type DeployProgress, type ProgressPhase, type RevertWindowChange, type StateChange } from './events.js';
export type { MigrationEngine } from './migrations.js';
export type { MigrationOptions, TableProgress } from '../migration/index.js';
export type { DeployError, DeployEvent, DeployRequest, LintFinding, LintVerdict, StoredChange, TableProgressRecord } from './record.js';
export type { ReconcileOptions, ReconcileReport } from './reconcile.js';
export { PauseRefusedError } from './pause.js';
export type { ProgressListener } from './copy-progress.js';
export { RevertRefusedError } from './revert-window.js';
export type { DeployOptions } from './run.js';
export { allowedActions, canTransition, DEPLOY_STATES, DeployStateError, isActive, isTerminal, transition, type DeployAction, type DeployState } from './state.js';
export { DeployRequestNotFoundError } from './store.js';
