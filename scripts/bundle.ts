// The one esbuild configuration for the product's bundles: scripts/build.ts, and the tests and
// benches that bundle the CLI or the language server themselves, all build them the same way.
import { build, type LogLevel } from 'esbuild';

export interface BundleOptions {
  entry: string;
  outfile: string;
  external?: string[];
  /** A first line, e.g. the CLI's `#!/usr/bin/env node`. */
  banner?: string;
  production?: boolean;
  logLevel?: LogLevel;
}

/**
 * Bundles `entry` into one CommonJS file for node 20 that needs no node_modules at run time.
 * ssh2's optional native speed-ups (its crypto binding, cpu-features) stay out of the bundle:
 * ssh2 loads them in a try and falls back to JavaScript when they are absent, as in the
 * packaged extension. Where a compiler built them at `npm ci`, esbuild would otherwise stop
 * at their `.node` files.
 */
export async function bundle(o: BundleOptions): Promise<void> {
  const production = o.production ?? false;
  await build({
    entryPoints: [o.entry],
    outfile: o.outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    external: [...(o.external ?? []), '*.node', 'cpu-features'],
    banner: o.banner ? { js: o.banner } : undefined,
    logLevel: o.logLevel ?? 'warning',
  });
}
