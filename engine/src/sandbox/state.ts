/**
 * The sandbox's state file, and why it is not believed on its word. The file
 * lives in the workspace, so a repository can commit one: naming another
 * server on this machine (the engine would then run DDL there as root) or the
 * pid of an unrelated process (which `sandbox stop` would kill). A state is
 * used only when its process proves to be the server this folder started:
 * a running mariadbd/mysqld whose command line carries this sandbox's data
 * folder, socket and port, exactly as `Sandbox.start` passes them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ServerBinary } from './binary.js';

export interface SandboxState {
  pid: number;
  port: number;
  socketPath: string;
  flavor: ServerBinary['flavor'];
  server: string;
  startedAt: string;
}

/** What this sandbox folder expects of its own server. */
export interface SandboxIdentity {
  dataDir: string;
  socketPath: string;
}

export type StateCheck = { kind: 'none' } | { kind: 'verified'; state: SandboxState } | { kind: 'gone'; state: SandboxState } | { kind: 'untrusted'; reason: string };

/** A server binary's name: mariadbd, mysqld, or a versioned build such as mariadbd-11.4. */
const SERVER_NAME = /^(mariadbd|mysqld)([-.]|$)/;

export function checkState(file: string, expected: SandboxIdentity): StateCheck {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { kind: 'none' };
  }
  let state: SandboxState;
  try {
    state = JSON.parse(text) as SandboxState;
  } catch {
    return { kind: 'untrusted', reason: `${file} is not valid JSON` };
  }
  if (!Number.isInteger(state.pid) || state.pid <= 1 || !Number.isInteger(state.port) || state.port <= 0 || typeof state.socketPath !== 'string') {
    return { kind: 'untrusted', reason: `${file} does not hold a pid, a port and a socket` };
  }
  if (state.socketPath !== expected.socketPath) return { kind: 'untrusted', reason: `${file} names the socket ${state.socketPath}, not this sandbox's ${expected.socketPath}` };
  if (!isAlive(state.pid)) return { kind: 'gone', state };
  const argv = commandLine(state.pid);
  if (!argv) return { kind: 'untrusted', reason: `the command line of process ${state.pid} cannot be read, so it cannot be shown to be this sandbox's server` };
  const program = basename(argv[0] ?? '');
  const wanted = [`--datadir=${expected.dataDir}`, `--socket=${expected.socketPath}`, `--port=${state.port}`];
  if (!SERVER_NAME.test(program) || wanted.some((a) => !argv.includes(a))) {
    return { kind: 'untrusted', reason: `process ${state.pid} (${program || 'unknown'}) is not a server started on this sandbox's data folder ${expected.dataDir}` };
  }
  return { kind: 'verified', state };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers signal 0; /proc tells the truth on Linux.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return true;
  }
}

/** argv of a process: /proc on Linux, `ps` elsewhere (macOS); undefined when neither answers. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    // No /proc (macOS): ps prints the arguments joined by spaces, enough for our space-free checks.
  }
  const ps = spawnSync('ps', ['-ww', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  if (ps.status !== 0 || !ps.stdout.trim()) return undefined;
  return ps.stdout.trim().split(/\s+/);
}
