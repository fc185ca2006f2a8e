// Bundles the three entry points so the packaged extension and the CLI need no node_modules at run time.
import { existsSync } from 'node:fs';
import { bundle } from './bundle.js';

const production = process.argv.includes('--production');
const entries = [
  { in: 'client/src/extension.ts', out: 'client', external: ['vscode'] },
  { in: 'server/src/main.ts', out: 'server', external: [] },
  { in: 'cli/src/main.ts', out: 'cli', external: [], banner: '#!/usr/bin/env node' },
].filter((e) => existsSync(e.in));

Promise.all(entries.map((e) => bundle({ entry: e.in, outfile: `dist/${e.out}.js`, external: e.external, banner: e.banner, production }))).then(
  () => console.log(`built ${entries.map((e) => `dist/${e.out}.js`).join(', ')}`),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
