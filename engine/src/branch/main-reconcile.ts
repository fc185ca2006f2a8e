/**
 * schema/main made to describe main's database while changing only what has to
 * change: the user's files are theirs (comments, layout, spelling), so a deploy that
 * altered two tables touches two files, not sixty.
 */
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isSymlink } from '../config/paths.js';
import type { WorkspaceConfig } from '../config/types.js';
import { withConnection } from '../db/connection.js';
import type { ServerTarget } from '../db/target.js';
import { diffSchemas } from '../diff/index.js';
import type { ServerVersion } from '../schema/lexer.js';
import type { SchemaObject, Table } from '../schema/model.js';
import { normalizeTable, type ServerDefaults } from '../schema/normalize.js';
import { parseSchemaFile } from '../schema/parse.js';
import { renderCreateTable } from '../sql/ddl.js';
import { renderObjectFile } from '../sql/object-ddl.js';
import { readSqlFolder, type SchemaFile } from './files.js';
import { liveSchema, liveServerVersion, serverDefaults } from './live.js';
import { branchFolder, MAIN, tableFileName } from './names.js';

export interface MainFilesChange {
  /** Main's files left exactly as they were. */
  kept: string[];
  /** Files copied from a candidate folder (as written there). */
  copied: string[];
  /** Files written from main's database, for tables no file describes. */
  fromServer: string[];
  /** Files removed: their tables are gone or now described by another file. */
  removed: string[];
  /** Symbolic links left alone: never written through or removed (they could name any file). */
  skipped: string[];
}

/**
 * Brings schema/main in line with main's database. Each main file whose tables all
 * match the database (and whose views, triggers, routines and events all exist there)
 * is kept as written; a table no kept file describes comes from
 * the first candidate folder with a file that matches (the deployed branch, or the
 * files from before a deploy), else is written from the database; other main files
 * are removed. Paths in the result are workspace-relative.
 */
export async function reconcileMainFiles(root: string, config: WorkspaceConfig, target: ServerTarget, candidates: string[]): Promise<MainFilesChange> {
  const mainFolder = branchFolder(root, config, MAIN);
  const current = existsSync(mainFolder) ? readSqlFolder(root, mainFolder) : [];
  const groups = [current, ...candidates.filter((c) => existsSync(c)).map((c) => readSqlFolder(root, c))];
  const { live, defaults, server } = await withConnection(target, undefined, async (conn) => ({
    live: await liveSchema(conn, config.database),
    defaults: await serverDefaults(conn, config.database),
    server: await liveServerVersion(conn),
  }));
  const liveByName = new Map(live.tables.map((t) => [t.name, t]));
  const liveObjects = new Map((live.objects ?? []).map((o) => [objectKey(o), o]));
  const claimed = new Set<string>();
  // By lower-case file name (two files differing only in case would clash on some systems).
  const chosen = new Map<string, { name: string; text: string; from: 'kept' | 'copied' | 'fromServer' }>();

  groups.forEach((group, k) => {
    for (const file of group) {
      const name = file.file.split('/').pop() as string;
      if (chosen.has(name.toLowerCase())) continue;
      const described = describedSchema(file, liveByName, liveObjects, claimed, defaults, server);
      if (!described) continue;
      for (const t of described) claimed.add(t);
      chosen.set(name.toLowerCase(), { name, text: file.text, from: k === 0 ? 'kept' : 'copied' });
    }
  });
  for (const table of live.tables) {
    if (claimed.has(table.name)) continue;
    let name = tableFileName(table.name);
    for (let n = 2; chosen.has(name.toLowerCase()); n++) name = tableFileName(`${table.name}-${n}`);
    chosen.set(name.toLowerCase(), { name, text: `${renderCreateTable(table)};\n`, from: 'fromServer' });
  }
  for (const [key, o] of liveObjects) {
    if (claimed.has(key)) continue;
    let name = tableFileName(`${o.kind}.${o.name}`);
    for (let n = 2; chosen.has(name.toLowerCase()); n++) name = tableFileName(`${o.kind}.${o.name}-${n}`);
    chosen.set(name.toLowerCase(), { name, text: renderObjectFile(o), from: 'fromServer' });
  }

  const change: MainFilesChange = { kept: [], copied: [], fromServer: [], removed: [], skipped: [] };
  const rel = (path: string): string => relative(root, path).split(sep).join('/');
  mkdirSync(mainFolder, { recursive: true });
  for (const file of current) {
    const name = file.file.split('/').pop() as string;
    const next = chosen.get(name.toLowerCase());
    if (next?.from === 'kept') continue;
    const path = join(mainFolder, name);
    if (isSymlink(path)) {
      change.skipped.push(rel(path));
      if (next) chosen.delete(name.toLowerCase());
      continue;
    }
    // A file that stays is rewritten in place, never removed and made again: an editor watching
    // the folder would see the table vanish and come back, and may believe the vanishing last.
    if (next && next.name === name) continue;
    unlinkSync(path);
    if (!next) change.removed.push(file.file);
  }
  const before = new Map(current.map((f) => [f.file.split('/').pop() as string, f.text]));
  for (const entry of chosen.values()) {
    const path = join(mainFolder, entry.name);
    // Only files whose text differs are written, so a watcher hears of exactly what changed.
    if (entry.from !== 'kept' && before.get(entry.name) !== entry.text) writeFileSync(path, entry.text);
    change[entry.from].push(rel(path));
  }
  return change;
}

/**
 * The tables `file` defines when every one of them exists in main's database, is not
 * yet described by another file, and matches it exactly, with the views, triggers,
 * routines and events it defines (keyed by objectKey) when each exists there too;
 * otherwise undefined. Objects are matched by kind and name only: comparing their
 * definitions takes a server probe, and deploy requests do not change them (they
 * refuse to), so a deploy cannot have made a file's object stale.
 */
function describedSchema(file: SchemaFile, live: Map<string, Table>, liveObjects: Map<string, SchemaObject>, claimed: Set<string>, defaults: ServerDefaults, server: ServerVersion): string[] | undefined {
  const parsed = parseSchemaFile(file.file, file.text, { server });
  if (parsed.tables.length + parsed.objects.length === 0 || parsed.problems.some((p) => p.severity === 'error')) return undefined;
  for (const table of parsed.tables) {
    const actual = live.get(table.name);
    if (!actual || claimed.has(table.name)) return undefined;
    if (diffSchemas({ tables: [actual] }, { tables: [normalizeTable(table, defaults)] }).length > 0) return undefined;
  }
  for (const o of parsed.objects) if (!liveObjects.has(objectKey(o)) || claimed.has(objectKey(o))) return undefined;
  return [...parsed.tables.map((t) => t.name), ...parsed.objects.map(objectKey)];
}

/** Object keys cannot clash with table names: a table name has no NUL. */
function objectKey(o: SchemaObject): string {
  return `\0${o.kind}:${o.name.toLowerCase()}`;
}
