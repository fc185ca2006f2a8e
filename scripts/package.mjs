// `npm run package`: production bundles, then `vsce package` into
// schemabranch-<version>.vsix. .vscodeignore is an allowlist, so the package
// holds the two bundles, the grammar, media, docs, README and LICENSE only.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status}); nothing was packaged.`);
    process.exit(r.status ?? 1);
  }
}

run(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build.ts'), '--production']);
for (const f of ['dist/client.js', 'dist/server.js']) {
  try {
    statSync(join(root, f));
  } catch {
    console.error(`package: ${f} was not built; the extension cannot run without it.`);
    process.exit(1);
  }
}
// --no-dependencies: everything is bundled; --allow-missing-repository: no prompt in CI (no stdin);
// --no-rewrite-relative-links: the README links files of this repository, which has no public URL to prefix.
run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
console.log(`packaged ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
