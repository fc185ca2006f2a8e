/**
 * Lint for views, triggers, routines and events (issue 13). Their bodies are
 * kept as text; these rules read the tokens of the one lexer for the few
 * things that break on deploy or on another server: a table that is not in
 * the schema, an account written into DEFINER, a view that runs with its
 * definer's privileges, and a trigger that writes to its own table.
 */
import type { Schema, SchemaObject } from '../../schema/model.js';
import { kw, tokenize, type Token } from '../../schema/lexer.js';
import type { LintContext, LintRule } from '../rule.js';
import type { Violation } from '../violation.js';

const KIND_WORD: Record<SchemaObject['kind'], string> = { view: 'View', trigger: 'Trigger', procedure: 'Procedure', function: 'Function', event: 'Event' };

function objectsOf(ctx: LintContext): SchemaObject[] {
  return ctx.schema?.objects ?? [];
}

function silenced(o: SchemaObject, code: string): boolean {
  return o.nolint.some((c) => c === code || c === 'all' || c === '*');
}

function at(o: SchemaObject): Pick<Violation, 'source' | 'object'> {
  return { source: o.nameSource ?? o.source, object: { kind: o.kind, name: o.name } };
}

/** A name as the body writes it, unqualified: `db`.`t` and t alike give t; another database's table gives undefined. */
function tableNameAt(tokens: Token[], i: number): { name: string; qualified: boolean } | undefined {
  const first = tokens[i];
  if (!first || (first.kind !== 'word' && first.kind !== 'ident')) return undefined;
  if (tokens[i + 1]?.kind === 'op' && tokens[i + 1]!.value === '.' && tokens[i + 2]) return { name: tokens[i + 2]!.value, qualified: true };
  return { name: first.value, qualified: false };
}

/**
 * Tables a body reads or writes: the name after a query's FROM or JOIN, after
 * INSERT/REPLACE ... INTO, after a statement's UPDATE and DELETE ... FROM.
 * Unqualified names only (another database is not this schema's business).
 * A FROM inside a function's parentheses (EXTRACT(YEAR FROM d), TRIM(x FROM s))
 * names no table; neither does SELECT ... INTO a variable, ON DUPLICATE KEY
 * UPDATE or FOR UPDATE; a WITH query's own names are not tables.
 */
export function tablesNamed(body: string): string[] {
  const tokens = tokenize(body).tokens;
  const out: string[] = [];
  const ctes = new Set<string>();
  /** For each open parenthesis: whether it holds a query (SELECT or WITH right after it). */
  const parens: boolean[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'op' && t.value === '(') {
      parens.push(['SELECT', 'WITH'].includes(kw(tokens[i + 1])));
      continue;
    }
    if (t.kind === 'op' && t.value === ')') {
      parens.pop();
      continue;
    }
    const word = kw(t);
    if ((word === 'WITH' || word === 'RECURSIVE' || (t.kind === 'op' && t.value === ',')) && tokens[i + 2] && kw(tokens[i + 2]) === 'AS') {
      const name = tokens[i + 1]!;
      if (name.kind === 'word' || name.kind === 'ident') ctes.add(name.value.toLowerCase());
    }
    const inQuery = parens.length === 0 || parens[parens.length - 1] === true;
    const before = kw(tokens[i - 1]);
    const names =
      ((word === 'FROM' || word === 'JOIN') && inQuery) ||
      (word === 'INTO' && ['INSERT', 'REPLACE', 'IGNORE'].includes(before)) ||
      (word === 'UPDATE' && before !== 'KEY' && before !== 'FOR');
    if (!names || (tokens[i + 1]?.kind === 'op' && tokens[i + 1]!.value === '(')) continue;
    const n = tableNameAt(tokens, i + 1);
    if (n && !n.qualified && !RESERVED_AFTER.has(n.name.toUpperCase()) && !ctes.has(n.name.toLowerCase())) out.push(n.name);
  }
  return out;
}

/** Words that follow FROM/INTO/UPDATE without naming a table (DELETE FROM ... is a table; INTO @var, SELECT ... FROM DUAL are not). */
const RESERVED_AFTER = new Set(['DUAL', 'SELECT', 'OUTFILE', 'DUMPFILE', 'LOW_PRIORITY', 'IGNORE', 'NEW', 'OLD']);

/** What a body does: a trigger's body starts with its header (timing, event, ON table, FOR EACH ROW, order), which names no table it changes. */
function actionOf(o: SchemaObject): string {
  if (o.kind !== 'trigger') return o.body;
  const tokens = tokenize(o.body).tokens;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (kw(tokens[i]) !== 'FOR' || kw(tokens[i + 1]) !== 'EACH' || kw(tokens[i + 2]) !== 'ROW') continue;
    const next = ['FOLLOWS', 'PRECEDES'].includes(kw(tokens[i + 3])) ? i + 5 : i + 3;
    return tokens[next] ? o.body.slice(tokens[next]!.start) : '';
  }
  return o.body;
}

function known(schema: Schema, branchNames: ReadonlySet<string> | undefined): ReadonlySet<string> {
  if (branchNames) return branchNames;
  return new Set([...schema.tables.map((t) => t.name.toLowerCase()), ...(schema.objects ?? []).filter((o) => o.kind === 'view').map((o) => o.name.toLowerCase())]);
}

export const objectMissingTable: LintRule = {
  code: 'object-missing-table',
  name: 'View or trigger names a missing table',
  description: 'A trigger on a table the schema does not have cannot be created; a view or trigger body that reads or writes such a table fails when it runs.',
  // A warning: the body is read by tokens, not parsed, so a name it misreads must not block anything.
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    const schema = ctx.schema;
    if (!schema) return [];
    const names = known(schema, ctx.branchNames);
    const out: Violation[] = [];
    for (const o of objectsOf(ctx)) {
      if (silenced(o, 'object-missing-table')) continue;
      if (o.trigger && !names.has(o.trigger.table.toLowerCase())) {
        out.push({ code: 'object-missing-table', severity: 'warning', message: `Trigger \`${o.name}\` is on table \`${o.trigger.table}\`, which this schema does not have: the server refuses to create it. Add the table or fix the name.`, table: o.trigger.table, ...at(o) });
        continue;
      }
      if (o.kind !== 'view' && o.kind !== 'trigger') continue;
      const missing = [...new Set(tablesNamed(actionOf(o)).filter((n) => !names.has(n.toLowerCase())))];
      if (missing.length) {
        out.push({
          code: 'object-missing-table',
          severity: 'warning',
          message: `${KIND_WORD[o.kind]} \`${o.name}\` names ${missing.length === 1 ? 'table' : 'tables'} ${missing.map((n) => `\`${n}\``).join(', ')}, which this schema does not have: it fails when it runs. Add ${missing.length === 1 ? 'it' : 'them'}, fix the name, or qualify a table of another database.`,
          ...at(o),
        });
      }
    }
    return out;
  },
};

export const objectDefiner: LintRule = {
  code: 'object-definer',
  name: 'DEFINER names an account',
  description: 'An object whose DEFINER names a specific account breaks on any server without that account (and needs SUPER or SET USER to create). Leave DEFINER out: the account that creates it becomes the definer.',
  defaultSeverity: 'warning',
  scope: 'schema',
  lint(ctx) {
    return objectsOf(ctx)
      .filter((o) => o.definer && !silenced(o, 'object-definer'))
      .map((o) => ({
        code: 'object-definer',
        severity: 'warning' as const,
        message: `${KIND_WORD[o.kind]} \`${o.name}\` names DEFINER=${o.definer!.user}@${o.definer!.host}: it breaks on a server without that account. Remove the DEFINER clause.`,
        ...at(o),
      }));
  },
};

export const viewSecurityDefiner: LintRule = {
  code: 'view-security-definer',
  name: 'View runs with its definer\u2019s privileges',
  description: "SQL SECURITY DEFINER (the server's default for views) lets anyone who can select from the view read what its definer can read. Write SQL SECURITY INVOKER unless that is the point.",
  defaultSeverity: 'info',
  scope: 'schema',
  lint(ctx) {
    return objectsOf(ctx)
      .filter((o) => o.kind === 'view' && /\bSQL SECURITY DEFINER\b/i.test(o.clauses) && !silenced(o, 'view-security-definer'))
      .map((o) => ({
        code: 'view-security-definer',
        severity: 'info' as const,
        message: `View \`${o.name}\` is SQL SECURITY DEFINER: whoever selects from it reads with its definer's privileges. Write SQL SECURITY INVOKER unless that is intended.`,
        ...at(o),
      }));
  },
};

export const triggerWritesOwnTable: LintRule = {
  code: 'trigger-writes-own-table',
  name: 'Trigger writes to its own table',
  description: "A trigger cannot change the table it fires on: the statement that fires it fails with \"Can't update table ... in stored function/trigger\". Set NEW.column in a BEFORE trigger instead.",
  defaultSeverity: 'error',
  scope: 'schema',
  lint(ctx) {
    const out: Violation[] = [];
    for (const o of objectsOf(ctx)) {
      if (!o.trigger || silenced(o, 'trigger-writes-own-table')) continue;
      const tokens = tokenize(actionOf(o)).tokens;
      const own = o.trigger.table.toLowerCase();
      for (let i = 0; i < tokens.length; i++) {
        const word = kw(tokens[i]);
        // INSERT INTO t, REPLACE INTO t, UPDATE t, DELETE FROM t
        const target = word === 'UPDATE' ? tableNameAt(tokens, i + 1) : (word === 'INTO' && ['INSERT', 'REPLACE', 'IGNORE'].includes(kw(tokens[i - 1]))) || (word === 'FROM' && kw(tokens[i - 1]) === 'DELETE') ? tableNameAt(tokens, i + 1) : undefined;
        if (target && !target.qualified && target.name.toLowerCase() === own) {
          out.push({
            code: 'trigger-writes-own-table',
            severity: 'error',
            message: `Trigger \`${o.name}\` writes to \`${o.trigger.table}\`, the table it fires on: every ${o.trigger.event} on it would fail. In a BEFORE trigger, set NEW.column instead.`,
            table: o.trigger.table,
            ...at(o),
          });
          break;
        }
      }
    }
    return out;
  },
};
