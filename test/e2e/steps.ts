/**
 * A tiny sequential step runner: the day is a story, so a step that fails
 * skips the ones after it (they would fail for the same reason). The whole
 * walk has a time limit, so a hung step fails in minutes instead of using up
 * CI's time. Ends with the plain `N passed, N failed, N skipped` line CI reads.
 */
export interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
  screenshots: string[];
}

export class Steps {
  readonly results: StepResult[] = [];
  private broken = false;

  private readonly deadline: number;

  constructor(
    private readonly onFailure: (name: string) => Promise<string | undefined>,
    readonly limitMs: number,
  ) {
    this.deadline = Date.now() + limitMs;
  }

  async step(name: string, run: (shots: string[]) => Promise<void>): Promise<boolean> {
    const shots: string[] = [];
    if (this.broken) {
      this.results.push({ name, status: 'skipped', ms: 0, screenshots: shots });
      console.log(`- skipped: ${name}`);
      return false;
    }
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const overtime = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the whole walk's limit of ${Math.round(this.limitMs / 1000)} s (SCHEMABRANCH_E2E_LIMIT_SECONDS) was reached during this step`)),
        Math.max(0, this.deadline - Date.now()),
      );
    });
    try {
      await Promise.race([run(shots), overtime]);
      this.results.push({ name, status: 'passed', ms: Date.now() - started, screenshots: shots });
      console.log(`ok: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s) ${shots.join(' ')}`);
      return true;
    } catch (err) {
      this.broken = true;
      const shot = await this.onFailure(name).catch(() => undefined);
      if (shot) shots.push(shot);
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.results.push({ name, status: 'failed', ms: Date.now() - started, error, screenshots: shots });
      console.log(`not ok: ${name}\n${error.split('\n').slice(0, 8).join('\n')}\n  screenshot: ${shot ?? 'none'}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  summary(): string {
    const n = (s: StepResult['status']): number => this.results.filter((r) => r.status === s).length;
    return `e2e: ${n('passed')} passed, ${n('failed')} failed, ${n('skipped')} skipped`;
  }

  get failed(): boolean {
    return this.results.some((r) => r.status !== 'passed');
  }
}
