/**
 * Keeps a branch's diagnostics current with work proportional to the edit:
 * lint runs per file and is cached by parse (the schema rules are per table;
 * a file's views and triggers are linted again only when the branch's table
 * and view names change), cross-file problems are recomputed for the branch (cheap lookups), and a
 * file's diagnostics are rebuilt and sent only when its parse, its lint or its
 * cross-file problems changed.
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
  namesKey: string;
  diagnostics: Diagnostic[];
}

export class BranchChecker {
  private readonly lintByParse = new WeakMap<ParsedDocument, { generation: number; namesKey: string; violations: Violation[] }>();
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
    for (const parsed of model.files) {
      const path = parsed.doc.path;
      const problems = cross.get(path) ?? [];
      const crossKey = problems.length ? JSON.stringify(problems) : '';
      const prev = this.last.get(path);
      const forced = force.delete(parsed.doc.uri);
      // Object lint reads names from the whole branch; a file of tables alone does not depend on them.
      const namesKey = parsed.objects.length > 0 ? model.tableAndViewNamesKey : '';
      if (prev && prev.parsed === parsed && prev.crossKey === crossKey && prev.lintGeneration === this.generation && prev.namesKey === namesKey) {
        if (forced) out.push({ uri: parsed.doc.uri, path, diagnostics: prev.diagnostics });
        continue;
      }
      const diagnostics = fileDiagnostics(parsed, this.lint(parsed, config, model, namesKey), problems, this.href);
      const changed = !prev || JSON.stringify(prev.diagnostics) !== JSON.stringify(diagnostics);
      this.last.set(path, { parsed, crossKey, lintGeneration: this.generation, namesKey, diagnostics });
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
  }

  private lint(parsed: ParsedDocument, config: LintConfig, model: BranchModel, namesKey: string): Violation[] {
    const cached = this.lintByParse.get(parsed);
    if (cached && cached.generation === this.generation && cached.namesKey === namesKey) return cached.violations;
    const violations = parsed.objects.length ? this.lintFile(parsed, config, model.tableAndViewNames) : parsed.tables.length ? this.lintFile(parsed, config) : [];
    this.lintByParse.set(parsed, { generation: this.generation, namesKey, violations });
    return violations;
  }
}
