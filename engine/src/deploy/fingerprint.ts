/**
 * Per-table fingerprints of a live schema, stored with a deploy request so a
 * later deploy can tell whether main moved on, and which tables moved.
 */
import { createHash } from 'node:crypto';
import type { Schema, Table } from '../schema/model.js';

/** Stable JSON: object keys sorted, source locations dropped (they differ between a file and the server). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === 'source' || key === 'nameSource') continue;
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

export function tableFingerprint(table: Table): string {
  return createHash('sha256').update(JSON.stringify(canonical(table))).digest('hex').slice(0, 32);
}

export function schemaFingerprints(schema: Schema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of schema.tables) out[t.name] = tableFingerprint(t);
  return out;
}

/** Tables created, dropped or altered between two fingerprint sets, sorted. */
export function movedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}
