/**
 * The extension-host suite: runs INSIDE desktop VS Code (loaded by
 * @vscode/test-electron as `extensionTestsPath`), with the real `vscode` API,
 * on a copy of examples/shop. It checks what only an extension host can see:
 * activation, the contributed commands, and the language server's answers
 * through VS Code's own providers.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

type Check = [name: string, run: () => Promise<void>];

/** Resolves once `probe` finds something, re-checking on each diagnostics change (the signal), never on a timer. */
async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const now = probe();
  if (now !== undefined) return now;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting until ${what}`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      const value = probe();
      if (value === undefined) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder (examples/shop copy)');
  return vscode.Uri.file(join(folder.uri.fsPath, ...parts));
}

const checks: Check[] = [
  [
    'the extension activates in a schema workspace',
    async () => {
      const ext = vscode.extensions.getExtension('schemabranch.schemabranch');
      assert.ok(ext, 'extension schemabranch.schemabranch is installed in the host');
      await ext.activate();
      assert.equal(ext.isActive, true);
    },
  ],
  [
    'every contributed command is registered',
    async () => {
      const ext = vscode.extensions.getExtension('schemabranch.schemabranch')!;
      const contributed = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
      const registered = new Set(await vscode.commands.getCommands(true));
      assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
    },
  ],
  [
    'the language server flags the float-double lint warning in coupons.sql',
    async () => {
      const uri = workspaceFile('schema', 'main', 'coupons.sql');
      await vscode.window.showTextDocument(uri);
      const found = await eventually('a float-double diagnostic on coupons.sql', () =>
        vscode.languages.getDiagnostics(uri).find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'float-double'),
      );
      assert.equal(found.severity, vscode.DiagnosticSeverity.Warning);
    },
  ],
  [
    'a syntax error is reported at its token while typing',
    async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'schemabranch-sql', content: 'CREATE TABLE t (id int PRIMARY KEY,, x int);' });
      await vscode.window.showTextDocument(doc);
      const error = await eventually('a syntax error diagnostic', () =>
        vscode.languages.getDiagnostics(doc.uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error),
      );
      assert.equal(error.range.start.line, 0);
    },
  ],
];

/** Called by the extension host; a rejection fails the run. */
export async function run(): Promise<void> {
  let passed = 0;
  const failures: string[] = [];
  for (const [name, check] of checks) {
    try {
      await check();
      passed++;
      console.log(`ok: ${name}`);
    } catch (err) {
      failures.push(name);
      console.log(`not ok: ${name}\n  ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log(`electron: ${passed} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(`${failures.length} extension-host check(s) failed: ${failures.join('; ')}`);
}
