/** Refusals that callers (CLI, language server) may want to recognise by type. */

export class MainIsProtectedError extends Error {
  constructor() {
    super(
      'Branch main is protected: changes reach main only through deploy requests, which apply them online and keep a revert window. ' +
        'Make the change on a development branch (`schemabranch branch create <branch>`, edit, `schemabranch branch push <branch>`), ' +
        'then open a deploy request: `schemabranch deploy-request create <branch>`.',
    );
  }
}

export class BranchExistsError extends Error {}

export class PushFailedError extends Error {
  constructor(
    readonly branch: string,
    readonly statement: string,
    readonly applied: number,
    readonly total: number,
    cause: unknown,
  ) {
    super(
      `Pushing branch ${branch} failed at statement ${applied + 1} of ${total}: ${cause instanceof Error ? cause.message : String(cause)}\n  ${statement}\n` +
        `${applied} statement${applied === 1 ? ' was' : 's were'} applied before it. Fix the file and push again: push compares the files with the database, so retrying is safe.`,
    );
  }
}

/** The statements a push would run are not the ones the user was shown (the files or the database changed in between): nothing was run. */
export class PushPlanChangedError extends Error {
  constructor(branch: string) {
    super(`The statements that push ${branch} are no longer the ones you were shown (its files or its database changed since). Nothing was run; push again to see the new ones.`);
    this.name = 'PushPlanChangedError';
  }
}
