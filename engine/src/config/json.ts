import { LineIndex } from '../schema/text.js';

/**
 * A strict JSON reader that remembers where every value was written, so a
 * wrong value in schemabranch.json can be reported at its line and column
 * (JSON.parse only knows an offset, and only for syntax errors).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** 1-based, as editors and compilers print them. */
export interface TextPosition {
  line: number;
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: TextPosition,
  ) {
    super(`${reason} at line ${position.line}, column ${position.column}`);
  }
}

export interface LocatedJson {
  value: JsonValue;
  /** Position of each value by its path ('' for the root, 'connection.url', 'lint.charsets[1]'). */
  positions: Map<string, TextPosition>;
  /** Position of each object key by the path of its value. */
  keyPositions: Map<string, TextPosition>;
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return parent ? `${parent}.${safe}` : safe;
}

/**
 * Deeper than any schemabranch.json needs (it nests three levels); a limit keeps a hostile
 * file from overflowing the stack of this reader and of the validator that walks the result.
 */
export const MAX_JSON_NESTING = 64;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseLocatedJson(text: string): LocatedJson {
  const positions = new Map<string, TextPosition>();
  const keyPositions = new Map<string, TextPosition>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let depth = 0;

  // One index of line starts: looking a position up is a binary search, not a scan from the start.
  const lines = new LineIndex(text);
  const posAt = (offset: number): TextPosition => {
    const p = lines.position(offset);
    return { line: p.line + 1, column: p.character + 1 };
  };
  const fail = (reason: string, at = i): never => {
    throw new JsonSyntaxError(reason, posAt(at));
  };
  const describe = (at: number): string => (at >= text.length ? 'the end of the file' : JSON.stringify(text[at]));
  const skipSpace = (): void => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 13 || c === 10; c = text.charCodeAt(i)) i++;
    if (text.startsWith('//', i) || text.startsWith('/*', i)) fail('Comments are not allowed in schemabranch.json (it is plain JSON)');
  };
  const expect = (ch: string, what: string): void => {
    skipSpace();
    if (text[i] !== ch) fail(`Expected ${what} but found ${describe(i)}`);
    i++;
  };

  const readString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\n') fail('Unterminated string', start);
      if (ch === '\\') {
        const esc = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc in map) {
          out += map[esc];
          i += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail(`Invalid escape sequence \\${esc ?? ''} in a string`);
        }
        continue;
      }
      out += ch;
      i++;
    }
    return fail('Unterminated string', start);
  };

  const readValue = (path: string): JsonValue => {
    skipSpace();
    positions.set(path, posAt(i));
    const ch = text[i];
    if ((ch === '{' || ch === '[') && ++depth > MAX_JSON_NESTING) fail(`Nesting deeper than ${MAX_JSON_NESTING} levels`);
    if (ch === '{') {
      i++;
      const obj: { [key: string]: JsonValue } = {};
      skipSpace();
      if (text[i] === '}') {
        i++;
        depth--;
        return obj;
      }
      let commaAt = -1;
      for (;;) {
        skipSpace();
        if (text[i] !== '"') {
          if (text[i] === '}' && commaAt >= 0) fail('Trailing comma before "}"', commaAt);
          fail(`Expected a property name in double quotes but found ${describe(i)}`);
        }
        const keyAt = i;
        const key = readString();
        const valuePath = childPath(path, key);
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`Duplicate property ${JSON.stringify(key)}`, keyAt);
        keyPositions.set(valuePath, posAt(keyAt));
        expect(':', '":" after a property name');
        obj[key] = readValue(valuePath);
        skipSpace();
        if (text[i] === ',') {
          commaAt = i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          depth--;
          return obj;
        }
        fail(`Expected "," or "}" after a property value but found ${describe(i)}`);
      }
    }
    if (ch === '[') {
      i++;
      const arr: JsonValue[] = [];
      skipSpace();
      if (text[i] === ']') {
        i++;
        depth--;
        return arr;
      }
      for (;;) {
        arr.push(readValue(childPath(path, arr.length)));
        skipSpace();
        if (text[i] === ',') {
          const commaAt = i++;
          skipSpace();
          if (text[i] === ']') fail('Trailing comma before "]"', commaAt);
          continue;
        }
        if (text[i] === ']') {
          i++;
          depth--;
          return arr;
        }
        fail(`Expected "," or "]" after an array element but found ${describe(i)}`);
      }
    }
    if (ch === '"') return readString();
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(text);
    if (num) {
      i += num[0].length;
      return Number(num[0]);
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    if (ch === "'") return fail('Strings must use double quotes');
    return fail(`Expected a value but found ${describe(i)}`);
  };

  const value = readValue('');
  skipSpace();
  if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the JSON document`);
  return { value, positions, keyPositions };
}
