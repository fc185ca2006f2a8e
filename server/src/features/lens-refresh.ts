/**
 * The code lens "N changes vs main" is asked for by the editor when a buffer changes,
 * but it also depends on main's files and on the other files of the branch, which change
 * on disk (a deploy, a revert, a pull) or in another buffer. After each validation pass
 * the counts the lenses show are compared with the last ones sent, and the editor is asked
 * to fetch lenses again when any differs, so a lens never disagrees with the tree.
 */
import type { BranchKey, Workspace } from '../workspace/workspace.js';
import type { SchemaEngine } from '../engine.js';
import type { SchemaNormalizer } from './normalized.js';
import { MAIN_BRANCH, objectChangeCount, tableChangeCount } from './branch-diff.js';

export class LensCounts {
  /** Per branch, what its lenses said last: "table:count" for each table it defines, "kind:name:count" for each object. */
  private readonly shown = new Map<BranchKey, string>();

  constructor(
    private readonly ws: Workspace,
    private readonly engine: SchemaEngine,
    private readonly normalizer: SchemaNormalizer,
    private readonly log: (message: string) => void,
  ) {}

  /** True when a lens of any branch would now say something else. `validated` are the branches that changed. */
  changed(validated: BranchKey[]): boolean {
    try {
      return this.compare(validated);
    } catch (err) {
      this.log(`counting code lens changes failed: ${(err as Error).stack ?? String(err)}`);
      return false;
    }
  }

  private compare(validated: BranchKey[]): boolean {
    const branches = this.ws.branches();
    if (!branches.includes(MAIN_BRANCH)) {
      const had = this.shown.size > 0;
      this.shown.clear();
      return had;
    }
    // main changed: every branch's lenses compare with it.
    const check = validated.includes(MAIN_BRANCH) ? branches : validated.filter((b) => branches.includes(b));
    let changed = false;
    for (const b of [...this.shown.keys()]) {
      if (branches.includes(b)) continue;
      this.shown.delete(b);
    }
    for (const b of check) {
      if (b === MAIN_BRANCH || b === '') continue;
      const counts = this.countsOf(b);
      // A branch seen for the first time counts too: lenses asked for before the first scan ended were empty.
      if (this.shown.get(b) !== counts) changed = true;
      this.shown.set(b, counts);
    }
    return changed;
  }

  private countsOf(branch: BranchKey): string {
    const main = this.ws.model(MAIN_BRANCH);
    const model = this.ws.model(branch);
    const tables = [...model.definitions.keys()].map((name) => `${name}:${tableChangeCount(this.engine, this.normalizer, main, model, name)}`);
    const objects = [...model.objects].map(([key, o]) => `${key}:${objectChangeCount(this.engine, main, model, o.kind, o.name)}`);
    return [...tables, ...objects].join('\n');
  }
}
