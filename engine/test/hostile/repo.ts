/**
 * A hostile repository for the tests in this folder: a temporary workspace
 * written as an attacker would commit it, next to an "outside" folder that
 * stands for the rest of the user's machine (which must never change).
 */
import { chmodSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeWorkspace } from '../../../server/test/support/lsp.js';

export interface HostileRepo {
  /** The workspace the user opened. */
  root: string;
  /** A sibling folder outside the workspace: the user's other files. */
  outside: string;
  write(rel: string, text: string | Buffer): string;
  link(rel: string, target: string): string;
  /** A script that, if ever run, leaves `marker` behind. */
  trap(rel: string): { path: string; marker: string; ran: () => boolean };
  remove(): void;
}

export function hostileRepo(files: Record<string, string | Buffer> = {}): HostileRepo {
  const base = makeWorkspace({}, 'sb-hostile-');
  const root = join(base.root, 'repo');
  const outside = join(base.root, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  const write = (rel: string, text: string | Buffer): string => base.write(join('repo', rel), text);
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return {
    root,
    outside,
    write,
    link: (rel, target) => {
      const abs = join(root, rel);
      mkdirSync(dirname(abs), { recursive: true });
      symlinkSync(target, abs);
      return abs;
    },
    trap: (rel) => {
      const marker = join(outside, `ran-${rel.replace(/\W/g, '_')}`);
      const path = write(rel, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
      chmodSync(path, 0o755);
      return { path, marker, ran: () => existsSync(marker) };
    },
    remove: base.remove,
  };
}

export const TABLE = 'CREATE TABLE users (\n  id int NOT NULL PRIMARY KEY\n);\n';
