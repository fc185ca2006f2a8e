import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One starter at a time per sandbox folder. The language server and a CLI
 * call (or two CLI calls) may both find the sandbox stopped; without this
 * both would initialise the same data folder and start two servers on it.
 * The lock is a file created exclusively, holding the owner's pid, so a lock
 * left by a process that died is recognised and taken over.
 */
export async function withStartLock<T>(dir: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'start.lock');
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (tryAcquire(lock)) break;
    if (Date.now() > deadline) throw new Error(`Another process (pid ${ownerOf(lock) ?? '?'}) has been starting the sandbox in ${dir} for over ${Math.round(timeoutMs / 1000)} s. If it is gone, delete ${lock} and retry.`);
    await new Promise((r) => setTimeout(r, delay));
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // Already taken over as stale: nothing left to release.
    }
  }
}

function tryAcquire(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const owner = ownerOf(lock);
  if (owner !== undefined && owner !== process.pid && !alive(owner)) {
    try {
      unlinkSync(lock);
    } catch {
      // Someone else removed it first; the next attempt decides.
    }
  }
  return false;
}

function ownerOf(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
