/**
 * Keeps a branch's diagnostics current with work proportional to the edit:
 * lint runs per file and is cached by parse (the schema rules are per table;
 * a file's views and triggers are linted again only when the branch's table
 * and view names change), cross-file problems are recomputed for the branch
 * (cheap lookups), and a file's diagnostics are rebuilt and sent only when its
 * parse, its lint or its cross-file problems changed.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { LintConfig, Violation } from '../engine.js';
import type { BranchModel } from '../workspace/branch-model.js';
import type { ParsedDocument } from '../workspace/documents.js';
import { crossFileProblems, type CrossFileProblem } from './cross-file.js';
import { fileDiagnostics, ruleLink } from './diagnostics.js';

/** `branchNames`: the branch's lower-case table and view names, given when the file has views, triggers, routines or events. */
export type LintFile = (parsed: ParsedDocument, config: LintConfig, branchNames?: ReadonlySet<string>) => Violation[];

interface Published {
  parsed: ParsedDocument;
  crossKey: string;
  lintGeneration: number;
  /** The branch's names version its object lint saw; 0 for a file without objects. */
  namesVersion: number;
  diagnostics: Diagnostic[];
}

/** A branch's table and view names as object lint last saw them, and a number that changes with them. */
interface SeenNames {
  names: ReadonlySet<string>;
  version: number;
}

function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const n of a) if (!b.has(n)) return false;
  return true;
}

export class BranchChecker {
  private readonly lintByParse = new WeakMap<ParsedDocument, { generation: number; namesVersion: number; violations: Violation[] }>();
  /** Per branch (keyed by its name, '' for a file on its own, by path). */
  private readonly seenNames = new Map<string, SeenNames>();
  private namesVersions = 0;
  private readonly last = new Map<string, Published>();
  private generation = 0;
  private readonly href: (code: string) => string;

  constructor(
    lintRulesDoc: string,
    private readonly lintFile: LintFile,
  ) {
    this.href = ruleLink(lintRulesDoc);
  }

  /** The lint configuration changed: every file is linted again on its next check. */
  configChanged(): void {
    this.generation++;
  }

  /**
   * The files whose diagnostics changed (or are in `force`), with their new
   * diagnostics. `force`: URIs to send even when unchanged (the edited buffer).
   */
  check(model: BranchModel, config: LintConfig, force: Set<string>): Array<{ uri: string; path: string; diagnostics: Diagnostic[] }> {
    const cross = new Map<string, CrossFileProblem[]>();
    for (const p of crossFileProblems(model)) {
      const list = cross.get(p.file);
      if (list) list.push(p);
      else cross.set(p.file, [p]);
    }
    const out: Array<{ uri: string; path: string; diagnostics: Diagnostic[] }> = [];
    let namesVersion: number | undefined;
    for (const parsed of model.files) {
      const path = parsed.doc.path;
      const problems = cross.get(path) ?? [];
      const crossKey = problems.length ? JSON.stringify(problems) : '';
      const prev = this.last.get(path);
      const forced = force.delete(parsed.doc.uri);
      // Object lint reads names from the whole branch; a file of tables alone does not depend on them.
      const fileNames = parsed.objects.length > 0 ? (namesVersion ??= this.namesVersionOf(model)) : 0;
      if (prev && prev.parsed === parsed && prev.crossKey === crossKey && prev.lintGeneration === this.generation && prev.namesVersion === fileNames) {
        if (forced) out.push({ uri: parsed.doc.uri, path, diagnostics: prev.diagnostics });
        continue;
      }
      const diagnostics = fileDiagnostics(parsed, this.lint(parsed, config, model, fileNames), problems, this.href);
      const changed = !prev || JSON.stringify(prev.diagnostics) !== JSON.stringify(diagnostics);
      this.last.set(path, { parsed, crossKey, lintGeneration: this.generation, namesVersion: fileNames, diagnostics });
      if (changed || forced) out.push({ uri: parsed.doc.uri, path, diagnostics });
    }
    return out;
  }

  paths(): IterableIterator<string> {
    return this.last.keys();
  }

  /** A file left the workspace. */
  forget(path: string): void {
    this.last.delete(path);
    this.seenNames.delete(path);
  }

  /**
   * A number that changes whenever the branch's table and view names do: a keystroke rebuilds
   * the model, and comparing one set per pass is cheaper than a key per file of objects.
   */
  private namesVersionOf(model: BranchModel): number {
    const key = model.branch ?? model.files[0]?.doc.path ?? '';
    const names = model.tableAndViewNames;
    const seen = this.seenNames.get(key);
    if (seen && (seen.names === names || sameNames(seen.names, names))) {
      seen.names = names;
      return seen.version;
    }
    const version = ++this.namesVersions;
    this.seenNames.set(key, { names, version });
    return version;
  }

  private lint(parsed: ParsedDocument, config: LintConfig, model: BranchModel, namesVersion: number): Violation[] {
    const cached = this.lintByParse.get(parsed);
    if (cached && cached.generation === this.generation && cached.namesVersion === namesVersion) return cached.violations;
    const violations = parsed.objects.length ? this.lintFile(parsed, config, model.tableAndViewNames) : parsed.tables.length ? this.lintFile(parsed, config) : [];
    this.lintByParse.set(parsed, { generation: this.generation, namesVersion, violations });
    return violations;
  }
}
