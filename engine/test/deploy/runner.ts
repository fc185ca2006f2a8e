/**
 * Drives fixtures/deploy-runner.ts: a deploy in a child process that reports
 * each progress beat as a JSON line, for tests that pause, resume or cancel
 * it from another process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Fixture } from './fixture.js';

export interface Line {
  progress?: { rowsCopied: number; paused: boolean };
  end?: string;
  failed?: string;
}

/** A deploy of request `id` in a child process (fixtures/deploy-runner.ts); `next` waits for a line it reports. */
export function runner(f: Fixture, id: number) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'deploy-runner.ts')], {
    env: { ...process.env, SCHEMABRANCH_CHILD: JSON.stringify({ target: f.target, main: f.main, id, chunkDelayMs: 30 }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Line[] = [];
  let seen = 0;
  let buffered = '';
  let exited = false;
  let wake: (() => void) | undefined;
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buffered += d;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Line);
    wake?.();
  });
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      wake?.();
      resolve();
    }),
  );
  return {
    /** The next line (after those already returned) that `match` accepts. */
    async next(match: (l: Line) => boolean, what: string): Promise<Line> {
      for (;;) {
        while (seen < lines.length) {
          const l = lines[seen++];
          if (l.failed) throw new Error(`the child deploy failed while waiting for ${what}: ${l.failed}`);
          if (match(l)) return l;
          if (l.end) throw new Error(`the child deploy ended (${l.end}) before ${what}`);
        }
        if (exited) throw new Error(`the child exited before ${what}`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    exit,
    kill: () => child.kill('SIGKILL'),
  };
}
