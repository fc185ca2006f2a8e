/**
 * `npm run test:electron`: the extension-host suite in desktop VS Code,
 * downloaded by @vscode/test-electron. Where desktop VS Code cannot be
 * downloaded (these CI machines have no route to its host), it says so in one
 * line and runs nothing; that is not a pass, and CI does not count it. The same
 * behaviour is covered in real VS Code by `npm run test:e2e` (code-server).
 */
import { build } from 'esbuild';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const root = join(__dirname, '..', '..');

async function main(): Promise<number> {
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode('stable');
  } catch (err) {
    console.log(`test:electron: could not download desktop VS Code (${err instanceof Error ? err.message : String(err)}); ran nothing`);
    return 0;
  }
  const out = mkdtempSync(join(tmpdir(), 'sb-electron-'));
  await build({ entryPoints: [join(__dirname, 'suite.ts')], outfile: join(out, 'suite.js'), bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'warning' });
  const ws = join(out, 'shop');
  cpSync(join(root, 'examples', 'shop'), ws, { recursive: true, filter: (src) => !src.includes('.schemabranch') });
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(out, 'suite.js'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
