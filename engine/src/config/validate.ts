/**
 * Checks a parsed schemabranch.json against docs/schemabranch.schema.json, the
 * same file editors use, so the CLI and the editor never disagree about what
 * is valid. Supports the subset of JSON Schema that file uses.
 */
import { redactUrl } from '../db/target.js';
import { childPath, type JsonValue } from './json.js';

export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: JsonValue[];
  pattern?: string;
  patternErrorMessage?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  default?: JsonValue;
}

export interface ValueProblem {
  /** 'connection.url'; '' for the whole file. */
  path: string;
  message: string;
  /** True when the problem is the key itself (unknown property), not its value. */
  atKey?: boolean;
}

/** A string value as a message quotes it: a password typed into a URL is never echoed. */
function shown(v: string): string {
  return JSON.stringify(redactUrl(v));
}

function typeName(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${shown(v)}`;
  return `${typeof v} ${String(v)}`;
}

const article: Record<NonNullable<SchemaNode['type']>, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

export function validateJson(value: JsonValue, node: SchemaNode, path = ''): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const where = path || 'The file';
  const t = node.type;
  if (t) {
    const ok =
      (t === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)) ||
      (t === 'array' && Array.isArray(value)) ||
      (t === 'string' && typeof value === 'string') ||
      (t === 'number' && typeof value === 'number') ||
      (t === 'integer' && typeof value === 'number' && Number.isInteger(value)) ||
      (t === 'boolean' && typeof value === 'boolean');
    if (!ok) return [{ path, message: `${where} must be ${article[t]}, not ${typeName(value)}.` }];
  }
  if (node.enum && !node.enum.some((e) => e === value)) {
    problems.push({ path, message: `${where} must be one of ${node.enum.map((e) => JSON.stringify(e)).join(', ')}, not ${typeName(value)}.` });
  }
  if (typeof value === 'string') {
    if (node.minLength !== undefined && value.length < node.minLength) problems.push({ path, message: `${where} must not be empty.` });
    if (node.pattern && !new RegExp(node.pattern).test(value)) {
      problems.push({ path, message: `${where} is ${shown(value)}. ${node.patternErrorMessage ?? `It must match ${node.pattern}`}.` });
    }
  }
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) problems.push({ path, message: `${where} must be at least ${node.minimum}, not ${value}.` });
    if (node.maximum !== undefined && value > node.maximum) problems.push({ path, message: `${where} must be at most ${node.maximum}, not ${value}.` });
  }
  if (Array.isArray(value) && node.items) {
    // Element by element: push(...list) overflows the stack on a hostile file's 100,000 problems.
    value.forEach((item, k) => validateJson(item, node.items as SchemaNode, childPath(path, k)).forEach((p) => problems.push(p)));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const known = node.properties ?? {};
    for (const [key, child] of Object.entries(value)) {
      const p = childPath(path, key);
      if (Object.prototype.hasOwnProperty.call(known, key)) {
        validateJson(child, known[key], p).forEach((q) => problems.push(q));
      } else if (typeof node.additionalProperties === 'object') {
        validateJson(child, node.additionalProperties, p).forEach((q) => problems.push(q));
      } else if (node.additionalProperties === false) {
        const names = Object.keys(known);
        const hint = closest(key, names);
        problems.push({
          path: p,
          atKey: true,
          message: `Unknown property ${JSON.stringify(key)}${path ? ` in ${path}` : ''}.${hint ? ` Did you mean ${JSON.stringify(hint)}?` : ''} Allowed: ${names.join(', ')}.`,
        });
      }
    }
  }
  return problems;
}

/** The allowed name a typo most likely meant: same letters ignoring case, an abbreviation, or edit distance <= 2. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = 3;
  for (const c of candidates) {
    const [a, b] = [word.toLowerCase(), c.toLowerCase()];
    const d = a === b ? 0 : a.length >= 3 && (b.startsWith(a) || a.startsWith(b)) ? 1 : distance(a, b);
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let x = 1; x <= a.length; x++) {
    let prev = row[0];
    row[0] = x;
    for (let y = 1; y <= b.length; y++) {
      const tmp = row[y];
      row[y] = Math.min(row[y] + 1, row[y - 1] + 1, prev + (a[x - 1] === b[y - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
