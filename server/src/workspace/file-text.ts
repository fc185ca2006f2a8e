/**
 * Turning bytes into schema text, refusing what must not reach the parser:
 * a binary file, or one so large that parsing it would freeze every keystroke.
 * Each refusal is a reason a person can act on, shown as a diagnostic or logged.
 */
import { promises as fs } from 'node:fs';

/**
 * The parser needs seconds per megabyte, and a schema file holds one table:
 * past this size the editor would stall on every edit for no real schema.
 */
export const MAX_SCHEMA_FILE_BYTES = 512 * 1024;

export type FileText =
  | { ok: true; text: string; /** Offset of the first byte that was not UTF-8 (replaced by U+FFFD). */ invalidUtf8At?: number }
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
    const st = await fs.stat(path);
    if (!st.isFile()) return { ok: false, reason: 'it is not a regular file' };
    if (st.size > MAX_SCHEMA_FILE_BYTES) return { ok: false, reason: tooLarge(st.size) };
    return decodeSchemaBytes(await fs.readFile(path));
  } catch (err) {
    return { ok: false, reason: `it cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
}

function tooLarge(size: number): string {
  return `it is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_SCHEMA_FILE_BYTES / 1024} KB limit for schema files; split it into one file per table`;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
