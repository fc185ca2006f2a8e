/**
 * `npm run corpus`: downloads the real-world corpus (test/corpus/manifest.json) into
 * test/corpus/files/ (or SCHEMABRANCH_CORPUS), each file from its project's repository
 * at the pinned commit, and refuses any file whose sha256 is not the manifest's.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Entry { name: string; url: string; sha256: string }

const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'test', 'corpus', 'manifest.json'), 'utf8')) as Entry[];
const dir = process.env.SCHEMABRANCH_CORPUS ?? join(root, 'test', 'corpus', 'files');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function main(): Promise<number> {
  mkdirSync(dir, { recursive: true });
  let failed = 0;
  for (const e of manifest) {
    const file = join(dir, `${e.name}.sql`);
    if (existsSync(file) && sha(readFileSync(file)) === e.sha256) continue;
    const res = await fetch(e.url);
    const body = new Uint8Array(await res.arrayBuffer());
    if (!res.ok || sha(body) !== e.sha256) {
      console.error(`${e.name}: ${res.ok ? `sha256 ${sha(body)} is not the manifest's ${e.sha256}` : `HTTP ${res.status}`} (${e.url})`);
      failed++;
      continue;
    }
    writeFileSync(file, body);
    console.log(`${e.name}: ${body.length} bytes`);
  }
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
