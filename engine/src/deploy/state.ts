/**
 * The deploy request lifecycle as an explicit state machine. Every state
 * change in the engine goes through `transition`, so the rules live in one
 * place and a refusal always names the current state and what is allowed.
 *
 *   open -> queued -> in_progress -> pending_cutover (gated) -> complete_pending_revert -> complete
 *   complete_pending_revert -> in_progress_revert -> complete_revert
 *   open | queued | in_progress | pending_cutover -> cancelled;  open -> closed
 *   running states -> error_retryable | error_needs_attention
 */

export const DEPLOY_STATES = [
  'open',
  'queued',
  'in_progress',
  'pending_cutover',
  'complete_pending_revert',
  'complete',
  'in_progress_revert',
  'complete_revert',
  'cancelled',
  'closed',
  'error_retryable',
  'error_needs_attention',
] as const;

export type DeployState = (typeof DEPLOY_STATES)[number];

/** The named moves between states; callers ask for a move, never for a raw state. */
export type DeployAction =
  | 'queue'
  | 'start'
  | 'copy_done'
  | 'cut_over'
  | 'finish'
  | 'start_revert'
  | 'revert_done'
  | 'revert_back'
  | 'cancel'
  | 'close'
  | 'fail_retryable'
  | 'fail_needs_attention'
  | 'requeue';

interface Rule {
  from: readonly DeployState[];
  to: DeployState;
  /** Completes "only <from> requests can <verb>". */
  verb: string;
}

const RUNNING: readonly DeployState[] = ['queued', 'in_progress', 'pending_cutover', 'in_progress_revert', 'complete_pending_revert'];

export const RULES: Record<DeployAction, Rule> = {
  queue: { from: ['open', 'error_retryable'], to: 'queued', verb: 'be queued for deploy' },
  // error_retryable -> in_progress is the retry; a failed revert is retried through start_revert.
  start: { from: ['open', 'queued', 'error_retryable'], to: 'in_progress', verb: 'be deployed' },
  copy_done: { from: ['in_progress'], to: 'pending_cutover', verb: 'wait for cut-over' },
  // error_retryable -> complete_pending_revert retries a cut-over that failed safely.
  cut_over: { from: ['in_progress', 'pending_cutover', 'error_retryable'], to: 'complete_pending_revert', verb: 'be cut over' },
  // error_retryable -> complete retries dropping the old tables after that failed.
  finish: { from: ['complete_pending_revert', 'error_retryable'], to: 'complete', verb: 'have their revert window closed' },
  start_revert: { from: ['complete_pending_revert', 'error_retryable'], to: 'in_progress_revert', verb: 'be reverted' },
  revert_done: { from: ['in_progress_revert'], to: 'complete_revert', verb: 'finish a revert' },
  // A revert that swapped nothing (refused, or lock wait gave up) leaves the window open as it was.
  revert_back: { from: ['in_progress_revert'], to: 'complete_pending_revert', verb: 'return to the revert window' },
  cancel: { from: ['open', 'queued', 'in_progress', 'pending_cutover', 'error_retryable', 'error_needs_attention'], to: 'cancelled', verb: 'be cancelled' },
  close: { from: ['open'], to: 'closed', verb: 'be closed' },
  fail_retryable: { from: RUNNING, to: 'error_retryable', verb: 'fail' },
  fail_needs_attention: { from: RUNNING, to: 'error_needs_attention', verb: 'fail' },
  // A queued request whose waiting process went away goes back to open.
  requeue: { from: ['queued'], to: 'open', verb: 'return to open' },
};

export class DeployStateError extends Error {
  constructor(
    readonly id: number,
    readonly state: DeployState,
    readonly action: DeployAction,
    message: string,
  ) {
    super(message);
    this.name = 'DeployStateError';
  }
}

/** The state after `action`, or a DeployStateError such as "deploy request #3 is complete_revert; only open, queued or error_retryable requests can be deployed". */
export function transition(id: number, state: DeployState, action: DeployAction): DeployState {
  const rule = RULES[action];
  if (rule.from.includes(state)) return rule.to;
  throw new DeployStateError(id, state, action, `deploy request #${id} is ${state}; only ${listStates(rule.from)} requests can ${rule.verb}.${hint(state)}`);
}

export function canTransition(state: DeployState, action: DeployAction): boolean {
  return RULES[action].from.includes(state);
}

/** Actions a user can take from `state`, for menus and `show`. */
export function allowedActions(state: DeployState): DeployAction[] {
  return (Object.keys(RULES) as DeployAction[]).filter((a) => RULES[a].from.includes(state));
}

export function isTerminal(state: DeployState): boolean {
  return state === 'complete' || state === 'complete_revert' || state === 'cancelled' || state === 'closed';
}

/** States in which a process is (or should be) working on the target database. */
export function isActive(state: DeployState): boolean {
  return state === 'in_progress' || state === 'pending_cutover' || state === 'in_progress_revert';
}

export function isDeployState(value: string): value is DeployState {
  return (DEPLOY_STATES as readonly string[]).includes(value);
}

function listStates(states: readonly DeployState[]): string {
  if (states.length === 1) return states[0];
  return `${states.slice(0, -1).join(', ')} or ${states[states.length - 1]}`;
}

/** What to do next from a state, appended to refusals. */
function hint(state: DeployState): string {
  switch (state) {
    case 'complete':
    case 'complete_revert':
    case 'cancelled':
    case 'closed':
      return ' Open a new deploy request for further changes.';
    case 'pending_cutover':
      return ' Run `deploy-request apply` to cut over, or `cancel`.';
    case 'complete_pending_revert':
      return ' Its revert window is open: `revert` or `skip-revert`.';
    case 'error_needs_attention':
      return ' Retrying is not safe; inspect it with `deploy-request show` first.';
    default:
      return '';
  }
}
