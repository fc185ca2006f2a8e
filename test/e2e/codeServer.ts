import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { descendants, stopTree, waitFor } from './processes.js';

/** Where scripts/e2e-setup.sh left code-server and Node 24. */
export interface Tools {
  cache: string;
  codeServerVersion: string;
}

export interface RunningCodeServer {
  port: number;
  url: (folder: string) => string;
  process: ChildProcess;
  log: () => string;
  /** Stops code-server and its helpers; `keep` spares pids stopped another way (the sandbox server). */
  stop: (keep?: readonly number[]) => Promise<number[]>;
}

function paths(t: Tools): { bin: string; nodeBin: string } {
  return {
    bin: join(t.cache, `code-server-${t.codeServerVersion}`, 'bin', 'code-server'),
    nodeBin: join(t.cache, 'node24', 'node_modules', 'node', 'bin'),
  };
}

function env(t: Tools): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, PATH: `${paths(t).nodeBin}:${process.env.PATH ?? ''}` };
  // The e2e opens its own copy of the workspace; a password from the caller's shell must not leak into it.
  delete e.SCHEMABRANCH_PASSWORD;
  return e;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Installs the .vsix into a fresh extensions folder and writes the settings E2E.md requires. */
export function prepareProfile(t: Tools, home: string, vsix: string): { userData: string; extensions: string } {
  const userData = join(home, 'user-data');
  const extensions = join(home, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        // Without this the folder opens in Restricted Mode and the extension never activates.
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'chat.disableAIFeatures': true,
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'editor.codeLens': true,
        'window.commandCenter': false,
      },
      null,
      2,
    ),
  );
  const r = spawnSync(paths(t).bin, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { env: env(t), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { userData, extensions };
}

/** Starts code-server on a free loopback port; resolves once it answers HTTP. */
export async function startCodeServer(t: Tools, profile: { userData: string; extensions: string }, folder: string): Promise<RunningCodeServer> {
  const port = await freePort();
  let log = '';
  const child = spawn(
    paths(t).bin,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', folder],
    { env: env(t), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const up = await waitFor(async () => {
    if (child.exitCode !== null) return true;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return res.ok;
    } catch {
      return false;
    }
  }, 60_000, 250);
  if (!up || child.exitCode !== null) throw new Error(`code-server did not start (exit ${child.exitCode}):\n${log}`);
  return {
    port,
    url: (f) => `http://127.0.0.1:${port}/?folder=${encodeURIComponent(f)}`,
    process: child,
    log: () => log,
    stop: async (keep = []) => (child.pid ? stopTree(child.pid, 5000, keep) : []),
  };
}

/** The pids code-server started (file watcher, extension host, language server...), for the report. */
export function helperPids(server: RunningCodeServer): number[] {
  return server.process.pid ? descendants(server.process.pid) : [];
}
