/**
 * The privileges a deploy needs, checked before it builds anything: a
 * missing one found at cut-over (LOCK TABLES, typically) costs a whole copy
 * and leaves triggers behind. The list is documented in docs/privileges.md.
 */
import type { Connection } from 'mysql2/promise';
import { quoteIdent, quoteString } from '../sql/quote.js';
import { METADATA_DB } from './names.js';
import { rows } from './session.js';

/** On the deployed database: shadow tables, capture triggers, the copy, the locked swap. */
export const TARGET_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER', 'INDEX', 'TRIGGER', 'LOCK TABLES'] as const;
/** On the metadata database: deploy state, changelogs (written by the triggers as their definer), locked at the swap. */
export const METADATA_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER', 'LOCK TABLES'] as const;

/** One `GRANT ... ON <what> TO ...` line of SHOW GRANTS, read as privileges on a scope. */
export interface Grant {
  privileges: Set<string>;
  /** `*` for every database, else a database name pattern (`%`, `_` wildcards, `\` escapes) as the server stores it. */
  db: string;
  /** `*` for the whole database, else one table (which covers no new table). */
  table: string;
}

/** Parses SHOW GRANTS lines; role and proxy grants and column privileges are left out (they cover nothing here). */
export function parseGrants(lines: string[]): Grant[] {
  const out: Grant[] = [];
  for (const line of lines) {
    const m = /^GRANT (.+?) ON (?:TABLE )?(\*|`(?:[^`]|``)+`)\.(\*|`(?:[^`]|``)+`) TO /i.exec(line);
    if (!m) continue;
    const unquote = (s: string): string => (s === '*' ? '*' : s.slice(1, -1).replace(/``/g, '`'));
    const privileges = new Set<string>();
    for (const p of m[1]!.split(/,(?![^(]*\))/)) {
      const name = p.trim().toUpperCase();
      if (name.includes('(')) continue; // column privilege
      if (name === 'ALL PRIVILEGES' || name === 'ALL') [...TARGET_PRIVILEGES, ...METADATA_PRIVILEGES, ...(m[2] === '*' ? ['SUPER'] : [])].forEach((x) => privileges.add(x));
      else privileges.add(name);
    }
    out.push({ privileges, db: unquote(m[2]!), table: unquote(m[3]!) });
  }
  return out;
}

/** Whether a database-level grant pattern (as SHOW GRANTS prints it) covers `db`. */
export function dbPatternCovers(pattern: string, db: string): boolean {
  if (pattern === '*') return true;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]!);
    else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += escapeRegExp(ch);
  }
  return new RegExp(`^${re}$`, 'i').test(db);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Privileges of `needed` that no global or database-wide grant gives on `db`. */
export function missingOn(grants: Grant[], db: string, needed: readonly string[]): string[] {
  const have = new Set<string>();
  for (const g of grants) if (g.table === '*' && dbPatternCovers(g.db, db)) g.privileges.forEach((p) => have.add(p));
  return needed.filter((p) => !have.has(p));
}

export class MissingPrivileges extends Error {
  /** Nothing was built: once the grants are given, deploying again is safe. */
  readonly retrySafe = true;
  constructor(
    readonly user: string,
    readonly missing: { db: string; privileges: string[] }[],
    readonly other: string[],
  ) {
    const lines = missing.map((x) => `${x.privileges.join(', ')} on ${quoteIdent(x.db)}.*`);
    const grant = missing.map((x) => `GRANT ${x.privileges.join(', ')} ON ${quoteIdent(x.db)}.* TO ${user};`).join(' ');
    super(`The deploy needs privileges that ${user} does not have: ${[...lines, ...other].join('; ')}. Nothing was built. ${grant ? `An administrator can run: ${grant} ` : ''}Then deploy again. (See docs/privileges.md.)`);
  }
}

/** Checks the connection's grants for a deploy to `db`; throws MissingPrivileges naming each one missing. */
export async function requireDeployPrivileges(conn: Connection, db: string): Promise<void> {
  const [who] = await rows<{ u: string }>(conn, 'SELECT CURRENT_USER() AS u');
  const [user, host] = splitAccount(who?.u ?? '');
  const account = `${quoteString(user)}@${quoteString(host)}`;
  const [shown] = await conn.query({ sql: 'SHOW GRANTS', rowsAsArray: true });
  const grants = parseGrants((shown as unknown[][]).map((r) => String(r[0])));
  const missing = [
    { db, privileges: missingOn(grants, db, TARGET_PRIVILEGES) },
    { db: METADATA_DB, privileges: missingOn(grants, METADATA_DB, METADATA_PRIVILEGES) },
  ].filter((x) => x.privileges.length > 0);
  const other: string[] = [];
  // With the binary log on, CREATE TRIGGER needs SUPER unless the server trusts routine creators.
  const [bin] = await rows<{ b: number; t: number }>(conn, 'SELECT @@GLOBAL.log_bin AS b, @@GLOBAL.log_bin_trust_function_creators AS t');
  if (Number(bin?.b) === 1 && Number(bin?.t) !== 1 && missingOn(grants, db, ['SUPER']).length > 0) {
    other.push('SUPER (the binary log is on and log_bin_trust_function_creators is off, so creating the capture triggers needs it; or an administrator sets log_bin_trust_function_creators = 1)');
  }
  if (missing.length || other.length) throw new MissingPrivileges(account, missing, other);
}

function splitAccount(a: string): [string, string] {
  const at = a.lastIndexOf('@');
  return at < 0 ? [a, '%'] : [a.slice(0, at), a.slice(at + 1)];
}

