/**
 * The real-world corpus (test/corpus/manifest.json): public schemas of real
 * applications, each kept verbatim as its project publishes it, and the
 * reference for what a file means: the mariadb client loading it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection } from '../../src/db/connection.js';
import type { ServerTarget } from '../../src/db/target.js';
import { kw } from '../../src/schema/lexer.js';
import { splitStatements } from '../../src/schema/split.js';
import { quoteQualified } from '../../src/sql/quote.js';

export interface CorpusEntry {
  name: string;
  application: string;
  repo: string;
  commit: string;
  path: string;
  license: string;
  url: string;
  sha256: string;
}

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'corpus');

export function corpusEntries(): CorpusEntry[] {
  return JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as CorpusEntry[];
}

/**
 * The schema file's text, verbatim as its project published it (test/corpus/files,
 * committed beside its licence). A file that is absent or not the published bytes
 * fails the test rather than skipping it: the corpus is part of the repository.
 */
export function readCorpusFile(entry: CorpusEntry): string {
  const file = join(CORPUS, 'files', `${entry.name}.sql`);
  if (!existsSync(file)) throw new Error(`${file} is absent: the corpus is committed with the repository; restore it with \`git checkout -- test/corpus/files\``);
  const bytes = readFileSync(file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== entry.sha256) throw new Error(`${file} is not the published file (sha256 ${sha}, expected ${entry.sha256} from ${entry.url}); restore it with \`git checkout -- test/corpus/files\``);
  return bytes.toString('utf8');
}

/** The CREATE TABLE statements of a schema script, verbatim, with the table each creates. */
export function createTableStatements(text: string): Array<{ table: string; text: string }> {
  const out: Array<{ table: string; text: string }> = [];
  for (const st of splitStatements(text).statements) {
    const t = st.tokens;
    if (kw(t[0]) !== 'CREATE' || kw(t[1]) !== 'TABLE') continue;
    const name = kw(t[2]) === 'IF' ? t[5] : t[2];
    out.push({ table: name.value, text: text.slice(st.start, st.end) });
  }
  return out;
}

/** Loads statements into `database` with the mariadb command-line client, as a user would. */
export async function loadWithClient(target: ServerTarget, database: string, statements: string[]): Promise<void> {
  const args = ['--no-defaults', `--user=${target.user}`, `--database=${database}`, '--batch'];
  if (target.socketPath) args.push(`--socket=${target.socketPath}`);
  else args.push(`--host=${target.host ?? '127.0.0.1'}`, `--port=${target.port ?? 3306}`, '--protocol=TCP');
  const input = ['SET FOREIGN_KEY_CHECKS=0', ...statements].map((s) => `${s};\n`).join('');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('mariadb', args, { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, MYSQL_PWD: target.password ?? '' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mariadb exited with ${code}: ${stderr}`))));
    child.stdin.end(input);
  });
}

/** SHOW CREATE TABLE of every base table, by name. */
export async function showCreateTables(target: ServerTarget, database: string): Promise<Map<string, string>> {
  return withConnection(target, undefined, async (conn) => {
    const [names] = await conn.query<RowDataPacket[]>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [database]);
    const out = new Map<string, string>();
    for (const r of names) {
      const [rows] = await conn.query<RowDataPacket[]>(`SHOW CREATE TABLE ${quoteQualified(database, String(r.t))}`);
      out.set(String(r.t), String(rows[0]['Create Table']));
    }
    return out;
  });
}

/**
 * Tables an online migration cannot key, as the server sees them: no PRIMARY KEY and no
 * unique key on NOT NULL whole columns. What the no-primary-key lint must report, exactly.
 */
export async function tablesWithoutRowKey(target: ServerTarget, database: string): Promise<string[]> {
  return withConnection(target, undefined, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT t.TABLE_NAME AS t FROM information_schema.TABLES t
        WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' AND NOT EXISTS (
          SELECT 1 FROM information_schema.STATISTICS s
           WHERE s.TABLE_SCHEMA = t.TABLE_SCHEMA AND s.TABLE_NAME = t.TABLE_NAME AND s.NON_UNIQUE = 0
           GROUP BY s.INDEX_NAME HAVING SUM(s.NULLABLE = 'YES' OR s.SUB_PART IS NOT NULL) = 0)
        ORDER BY t.TABLE_NAME`,
      [database],
    );
    return rows.map((r) => String(r.t));
  });
}
