/** How deploy requests read the errors of the layers below them. */

/** An error from the migration engine may say itself whether retrying is safe. */
export function retrySafeOf(err: unknown): boolean | undefined {
  if (err !== null && typeof err === 'object' && 'retrySafe' in err) {
    const v = (err as { retrySafe: unknown }).retrySafe;
    if (typeof v === 'boolean') return v;
  }
  return undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
