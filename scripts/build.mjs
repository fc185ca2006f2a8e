// Bundles the three entry points so the packaged extension and the CLI need no node_modules at run time.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const entries = [
  { in: 'client/src/extension.ts', out: 'client', external: ['vscode'] },
  { in: 'server/src/main.ts', out: 'server', external: [] },
  { in: 'cli/src/main.ts', out: 'cli', external: [], banner: '#!/usr/bin/env node' },
].filter((e) => existsSync(e.in));

await Promise.all(
  entries.map((e) =>
    build({
      entryPoints: [e.in],
      outfile: `dist/${e.out}.js`,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: !production,
      minify: production,
      // ssh2's optional native speed-ups (its crypto binding, cpu-features) stay out of the bundle: ssh2 loads
      // them in a try and falls back to JavaScript when they are absent, as in the packaged extension.
      external: [...e.external, '*.node', 'cpu-features'],
      banner: e.banner ? { js: e.banner } : undefined,
      logLevel: 'warning',
    }),
  ),
);
console.log(`built ${entries.map((e) => `dist/${e.out}.js`).join(', ')}`);
