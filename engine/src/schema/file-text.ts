/**
 * The one way schema files become text, for the CLI and the language server
 * alike, so both see the same thing: a UTF-8 BOM is dropped, bytes that are
 * not UTF-8 are a located error (never U+FFFD sent to a server), and a
 * binary file, one too large to parse, or a symbolic link (never followed:
 * it could name any file on the machine) is refused with a reason a person
 * can act on, and characters a terminal would not show as written are a
 * located error.
 */
import { lstatSync, promises as fs, readFileSync, type Stats } from 'node:fs';
import type { SchemaProblem } from './problems.js';

/**
 * A schema file holds one table, and parsing is linear but not free (up to about a
 * second per megabyte of hostile input, `npm run bench -- hostile`): past this size
 * the editor would stall on every edit for no real schema.
 */
export const MAX_SCHEMA_FILE_BYTES = 512 * 1024;

export type FileText =
  | { ok: true; text: string; /** Offset in `text` of the first byte that was not UTF-8 (shown there as U+FFFD). */ invalidUtf8At?: number }
  | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });
const lossyDecoder = new TextDecoder('utf-8');

export function decodeSchemaBytes(bytes: Uint8Array): FileText {
  if (bytes.length > MAX_SCHEMA_FILE_BYTES) return { ok: false, reason: tooLarge(bytes.length) };
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { ok: false, reason: 'it looks binary (it contains NUL bytes), not SQL text' };
  try {
    return { ok: true, text: stripBom(decoder.decode(bytes)) };
  } catch {
    const text = stripBom(lossyDecoder.decode(bytes));
    return { ok: true, text, invalidUtf8At: Math.max(0, text.indexOf('\uFFFD')) };
  }
}

/** For text an editor already holds (an open buffer): only the size and NUL checks apply. */
export function checkSchemaText(text: string): string | undefined {
  if (text.length > MAX_SCHEMA_FILE_BYTES) return tooLarge(text.length);
  if (text.slice(0, 8192).includes('\u0000')) return 'it looks binary (it contains NUL characters), not SQL text';
  return undefined;
}

export async function readSchemaFile(path: string): Promise<FileText> {
  try {
    const refused = refuseByStat(await fs.lstat(path));
    return refused ? { ok: false, reason: refused } : decodeSchemaBytes(await fs.readFile(path));
  } catch (err) {
    return cannotRead(err);
  }
}

export function readSchemaFileSync(path: string): FileText {
  try {
    const refused = refuseByStat(lstatSync(path));
    return refused ? { ok: false, reason: refused } : decodeSchemaBytes(readFileSync(path));
  } catch (err) {
    return cannotRead(err);
  }
}

/**
 * What a read means for the branch, as a problem located in `file`: a file
 * that could not be read, or that is not UTF-8, is an error (pushing without
 * it would drop its table; pushing it would store U+FFFD).
 */
export function fileTextProblem(file: string, read: FileText): SchemaProblem | undefined {
  if (!read.ok) return { file, range: rangeAt('', 0), message: `Not checked: ${read.reason}.`, kind: 'semantic', code: 'file-skipped', severity: 'error' };
  if (read.invalidUtf8At === undefined) return hiddenCharacterProblem(file, read.text);
  return {
    file,
    range: rangeAt(read.text, read.invalidUtf8At),
    message: 'This file is not valid UTF-8 here (it was probably saved as Latin-1 or another legacy encoding). Save it as UTF-8.',
    kind: 'semantic',
    code: 'invalid-utf8',
    severity: 'error',
  };
}

/**
 * Characters a terminal does not print as written: control characters but tab, line feed
 * and CR before LF (ESC starts sequences that hide or rewrite text, a lone CR overwrites
 * its line, DEL and C1 controls), and the bidirectional controls that reorder how a line
 * reads (the "Trojan Source" ones). The CLI prints every statement before it is sent; with
 * one of these in a file, what it printed could look other than what is sent.
 */
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

const HIDDEN_ALL = new RegExp(HIDDEN.source, 'g');

const codePoint = (c: string): string => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * `text` for a terminal: each of those characters written as `<U+001B>`. The CLI prints
 * through this, so a name or message from anywhere else (schemabranch.json, a file name,
 * the server's error quoting a statement) cannot hide or rewrite what it shows either.
 */
export function showHiddenCharacters(text: string): string {
  return text.replace(HIDDEN_ALL, (c) => `<${codePoint(c)}>`);
}

function hiddenCharacterProblem(file: string, text: string): SchemaProblem | undefined {
  const m = HIDDEN.exec(text);
  if (!m) return undefined;
  const code = codePoint(m[0]);
  const what = m[0] >= '\u202a' ? `a bidirectional-text control (${code}) that reorders how the line is shown` : `a control character (${code}) that a terminal does not show as written`;
  return {
    file,
    range: rangeAt(text, m.index),
    message: `This file holds ${what}: \`diff\` and \`branch push\` could print SQL that looks other than what they send. Remove it; in a string, write it with an escape or CHAR() instead.`,
    kind: 'semantic',
    code: 'hidden-character',
    severity: 'error',
  };
}

function rangeAt(text: string, offset: number): SchemaProblem['range'] {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  return { start: { line, character, offset }, end: { line, character: character + 1, offset: offset + 1 } };
}

function refuseByStat(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return 'it is a symbolic link, and links in schema folders are never followed (they could name any file on this machine); replace it with the file itself';
  if (!st.isFile()) return 'it is not a regular file';
  if (st.size > MAX_SCHEMA_FILE_BYTES) return tooLarge(st.size);
  return undefined;
}

function cannotRead(err: unknown): FileText {
  return { ok: false, reason: `it cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
}

function tooLarge(size: number): string {
  return `it is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_SCHEMA_FILE_BYTES / 1024} KB limit for schema files; split it into one file per table`;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
