/** Index comparisons shared by duplicate-index and redundant-index. */
import type { Index, IndexPart } from '../schema/model.js';

export function samePart(a: IndexPart, b: IndexPart): boolean {
  return a.column.toLowerCase() === b.column.toLowerCase() && a.length === b.length && Boolean(a.descending) === Boolean(b.descending);
}

export function sameParts(a: Index, b: Index): boolean {
  return a.parts.length === b.parts.length && a.parts.every((p, i) => samePart(p, b.parts[i]));
}

/**
 * For each index that repeats an earlier one exactly (same kind, USING and parts), that
 * earlier index. One pass with a map: comparing every index with every earlier one was
 * quadratic, and a hostile file can declare thousands of keys.
 */
export function earlierDuplicates(indexes: Index[]): Map<Index, Index> {
  const first = new Map<string, Index>();
  const out = new Map<Index, Index>();
  for (const index of indexes) {
    const key = JSON.stringify([index.kind, index.using ?? null, index.parts.map((p) => [p.column.toLowerCase(), p.length ?? null, Boolean(p.descending)])]);
    const earlier = first.get(key);
    if (earlier) out.set(index, earlier);
    else first.set(key, index);
  }
  return out;
}

/** B-tree indexes are the ones whose left prefixes can serve a lookup; hash, fulltext and spatial cannot. */
export function isBtree(index: Index): boolean {
  return (index.kind === 'primary' || index.kind === 'unique' || index.kind === 'index') && index.using !== 'hash';
}

export function isUnique(index: Index): boolean {
  return index.kind === 'primary' || index.kind === 'unique';
}

/**
 * Whether `covering` can serve every lookup `shorter` can: `shorter`'s parts are
 * a left prefix of `covering`'s. Every part but the last must match exactly (a
 * longer prefix length earlier changes the sort order of later columns); the
 * last may be a shorter prefix of the covering part (name(10) is served by name(20) or name).
 */
export function isLeftPrefix(shorter: Index, covering: Index): boolean {
  if (shorter.parts.length === 0 || shorter.parts.length > covering.parts.length) return false;
  return shorter.parts.every((p, i) => {
    const c = covering.parts[i];
    if (i < shorter.parts.length - 1) return samePart(p, c);
    if (p.column.toLowerCase() !== c.column.toLowerCase() || Boolean(p.descending) !== Boolean(c.descending)) return false;
    return c.length === undefined || (p.length !== undefined && p.length <= c.length);
  });
}

export function describeParts(index: Index): string {
  return index.parts.map((p) => `${p.column}${p.length !== undefined ? `(${p.length})` : ''}${p.descending ? ' DESC' : ''}`).join(', ');
}

/** An index written inside a column (`a int UNIQUE`) may reach lint without a name; the server would name it after its first column. */
export function indexName(index: Index): string {
  return index.name || index.parts[0]?.column || '';
}

export function describeIndex(index: Index): string {
  return index.kind === 'primary' ? `PRIMARY KEY (${describeParts(index)})` : `${index.kind === 'index' ? 'index' : `${index.kind} index`} \`${indexName(index)}\` (${describeParts(index)})`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
