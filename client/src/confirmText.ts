import type { ChangeClass, SchemaChangeInfo } from './protocol.js';

/** A modal confirmation: what will happen, what is lost, and the button that does it. */
export interface Confirmation {
  message: string;
  detail: string;
  action: string;
}

const LOSSY: ReadonlySet<ChangeClass> = new Set(['destructive', 'data-dependent', 'needs-decision']);

/** One line per thing that a deploy would lose or might fail on, from the diff's classification. */
export function lossLines(changes: readonly SchemaChangeInfo[]): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    if (!LOSSY.has(c.class)) continue;
    if (c.kind === 'drop_table') {
      lines.push(`table ${c.table} and all its rows are dropped`);
      continue;
    }
    const reasons = c.reasons.filter((r) => LOSSY.has(r.class));
    if (reasons.length === 0) lines.push(`${c.table}: ${c.class} change`);
    for (const r of reasons) lines.push(`${c.table}: ${r.message}${r.class === 'destructive' ? '' : ` (${r.class})`}`);
  }
  return lines;
}

/** Deploying is confirmed only when it loses something; a safe diff deploys straight away. */
export function deployConfirmation(number: number, into: string, changes: readonly SchemaChangeInfo[]): Confirmation | undefined {
  const lines = lossLines(changes);
  if (lines.length === 0) return undefined;
  return {
    message: `Deploy request #${number} changes ${into} in ways that lose data.`,
    detail: `${lines.map((l) => `• ${l}`).join('\n')}\n\nThe revert window keeps the old table, so a revert brings the schema back, but data dropped from ${into} by this deploy is only kept until the window closes.`,
    action: 'Deploy',
  };
}

export function deleteBranchConfirmation(branch: string, folder: string, database: string | undefined, openRequest: number | undefined): Confirmation {
  const lost = [`the folder ${folder} and every file in it`];
  if (database) lost.push(`the database ${database} and every row in it`);
  if (openRequest !== undefined) lost.push(`deploy request #${openRequest} can no longer be deployed`);
  return {
    message: `Delete branch ${branch}?`,
    detail: `This deletes:\n${lost.map((l) => `• ${l}`).join('\n')}`,
    action: 'Delete Branch',
  };
}

export function revertConfirmation(number: number, tables: readonly string[]): Confirmation {
  return {
    message: `Revert deploy request #${number}?`,
    detail: `The previous schema of ${tables.length ? tables.join(', ') : 'the changed tables'} is swapped back. Rows written since the deploy are kept; values in columns the deploy added are lost.`,
    action: 'Revert',
  };
}

export function skipRevertConfirmation(number: number): Confirmation {
  return {
    message: `Close the revert window of #${number} now?`,
    detail: 'The old tables are dropped and this deploy can no longer be reverted.',
    action: 'Skip Revert',
  };
}

export function pullConfirmation(branch: string, folder: string): Confirmation {
  return {
    message: `Overwrite the files of ${branch} with the database's schema?`,
    detail: `Every .sql file in ${folder} is rewritten from the live database; unsaved edits and changes not pushed to the database are lost.`,
    action: 'Pull Schema',
  };
}

/** Asked after the push's statements are shown in full: main is pushed straight, with no deploy request. */
export function pushConfirmation(branch: string, database: string | undefined, statements: number): Confirmation {
  const run = `${statements} statement${statements === 1 ? '' : 's'}`;
  if (branch === 'main') {
    return {
      message: `Push main straight to its database (${run})?`,
      detail: `This runs the ${run} shown in the editor, exactly, to make ${database ?? "main's database"} match the files of main, without a deploy request, online copy or revert window. Use it to load main into an empty database such as the sandbox; change a live main through a deploy request.`,
      action: 'Push main',
    };
  }
  return {
    message: `Push ${branch} to its database (${run})?`,
    detail: `This runs the ${run} shown in the editor, exactly, on ${database ?? `${branch}'s database`}. If the files or the database change before you confirm, nothing runs.`,
    action: `Push ${branch}`,
  };
}

/** One way to deploy a request, as offered when the server can also make it instantly. */
export interface DeployMethodItem {
  label: string;
  detail: string;
  instant: boolean;
}

/**
 * The choice offered when the server can deploy a request instantly: the
 * online copy first (the default, revertible with every row kept), then
 * instant with what it gives up. No choice when instant is not possible.
 */
export function deployMethodItems(number: number, verdict: { instant: boolean; method?: 'instant' | 'in-server'; revertible: boolean; why: string }, opts: { copyRefused?: boolean } = {}): DeployMethodItem[] {
  if (!verdict.instant) return [];
  const inServer = verdict.method === 'in-server';
  const what = inServer ? "The server's online ALTER builds it while writes go on; replicas lag while it runs." : 'The server changes only table metadata; no row is copied.';
  // When the online copy is refused (its findings), the server's own path is the only one offered.
  const copy: DeployMethodItem[] = opts.copyRefused ? [] : [{ label: `Online copy of #${number}`, detail: 'Shadow tables, row copy, atomic cut-over; revert keeps every row written since.', instant: false }];
  return [
    ...copy,
    {
      label: `${inServer ? 'In-server online ALTER' : 'Instant deploy'} of #${number}${verdict.revertible ? '' : ' (not revertible)'}`,
      detail: verdict.revertible ? `${what} Revert undoes it the same way.` : `${what} ${verdict.why}.`,
      instant: true,
    },
  ];
}
