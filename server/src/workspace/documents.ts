/**
 * One schema file as the server holds it, and its parse, cached by text so a
 * keystroke re-parses only the file that changed.
 */
import { LineIndex } from '../../../engine/src/schema/text.js';
import type { SchemaEngine, SchemaObject, SchemaProblem, Table } from '../engine.js';
import { outlineFile, type FileOutline } from '../sql/outline.js';

export interface SchemaDocument {
  /** Absolute file system path: the key everywhere, and SourceRef.file in the model. */
  path: string;
  uri: string;
  /** schema/<branch>/...; undefined for a .sql file outside the schema folder (checked on its own). */
  branch?: string;
  /** '' when skipped. */
  text: string;
  /** Why the file is not parsed (binary, too large, unreadable). */
  skipped?: string;
  /** Offset of the first byte that was not UTF-8. */
  invalidUtf8At?: number;
  /** True while an editor holds it: its text wins over the disk. */
  open: boolean;
}

export interface ParsedDocument {
  doc: SchemaDocument;
  text: string;
  tables: Table[];
  /** Views, triggers, routines and events whose statements read without an error. */
  objects: SchemaObject[];
  problems: SchemaProblem[];
  /** Where each name is written; built on first use (most files at startup never need it). */
  readonly outline: FileOutline;
  lines: LineIndex;
  /** True when the parse found a syntax error or a parser gap: `tables` may be incomplete. */
  broken: boolean;
}

function parsedDocument(fields: Omit<ParsedDocument, 'outline'>): ParsedDocument {
  let outline: FileOutline | undefined;
  return {
    ...fields,
    get outline(): FileOutline {
      return (outline ??= outlineFile(fields.text));
    },
  };
}

/** Parses each distinct file text once; remembers the last complete parse of every file. */
export class ParseCache {
  private readonly byPath = new Map<string, ParsedDocument>();
  private readonly lastGood = new Map<string, Table[]>();
  parses = 0;

  constructor(
    private readonly engine: SchemaEngine,
    private readonly log: (message: string) => void,
  ) {}

  get(doc: SchemaDocument): ParsedDocument {
    const cached = this.byPath.get(doc.path);
    if (cached && cached.text === doc.text && cached.doc.skipped === doc.skipped) {
      cached.doc = doc;
      return cached;
    }
    const parsed = this.parse(doc);
    this.byPath.set(doc.path, parsed);
    if (!parsed.broken) this.lastGood.set(doc.path, parsed.tables);
    return parsed;
  }

  /** Tables of the last parse without errors, for resolving names while the file is mid-edit. */
  lastGoodTables(path: string): Table[] | undefined {
    return this.lastGood.get(path);
  }

  forget(path: string): void {
    this.byPath.delete(path);
    this.lastGood.delete(path);
  }

  private parse(doc: SchemaDocument): ParsedDocument {
    const text = doc.skipped ? '' : doc.text;
    const lines = new LineIndex(text);
    if (doc.skipped || text.trim() === '') {
      return parsedDocument({ doc, text, tables: [], objects: [], problems: [], lines, broken: false });
    }
    this.parses++;
    try {
      const { tables, objects, problems } = this.engine.parseFile(doc.path, text);
      // A statement left unchecked by node-sql-parser (past its per-file budget) was still read whole.
      const broken = problems.some((p) => p.kind === 'syntax' || (p.kind === 'unsupported' && p.code !== 'grammar-check-skipped'));
      return parsedDocument({ doc, text, tables, objects, problems, lines, broken });
    } catch (err) {
      // A parser crash is the parser's bug, never the user's: say so at the top of the file and keep serving.
      this.log(`parser crashed on ${doc.path}: ${(err as Error).stack ?? String(err)}`);
      const problem: SchemaProblem = {
        file: doc.path,
        range: lines.range(0, 0),
        message: `The schema parser failed on this file (${(err as Error).message}). This is a gap in schemabranch, not an error in your SQL; please report it.`,
        kind: 'unsupported',
        code: 'parser-crash',
        severity: 'warning',
      };
      return parsedDocument({ doc, text, tables: [], objects: [], problems: [problem], lines, broken: true });
    }
  }
}
