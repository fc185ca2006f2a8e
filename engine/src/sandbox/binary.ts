import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ServerBinary {
  flavor: 'mariadb' | 'mysql';
  server: string;
  /** mariadb-install-db for MariaDB; for MySQL the server itself initialises (--initialize-insecure). */
  installer?: string;
}

export class NoServerBinaryError extends Error {
  constructor(searched: string[]) {
    super(
      'No MySQL or MariaDB server binary was found for the local sandbox ' +
        `(looked for mariadbd and mysqld in: ${searched.join(', ')}). ` +
        'Install one (Debian/Ubuntu: `sudo apt-get install mariadb-server`; macOS: `brew install mariadb`), ' +
        'set SCHEMABRANCH_MARIADBD (or, in VS Code, the user setting "schemabranch.sandbox.binary") to its path, ' +
        'or connect to your own server with "connection": { "url": "mysql://user@host:3306" }.',
    );
  }
}

function searchDirs(): string[] {
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...new Set([...fromPath, '/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin', '/opt/homebrew/bin'])];
}

function findIn(dirs: string[], name: string): string | undefined {
  for (const d of dirs) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Finds a server binary: the user's chosen path first (never a repository's), then mariadbd, then mysqld. */
export function findServerBinary(configured?: string): ServerBinary {
  const dirs = searchDirs();
  if (configured) {
    if (!existsSync(configured)) throw new Error(`The sandbox binary ${configured} does not exist. Fix SCHEMABRANCH_MARIADBD (or the VS Code user setting "schemabranch.sandbox.binary"), or unset it to search the PATH.`);
    const flavor = /mariadb/.test(configured) ? 'mariadb' : 'mysql';
    const installer = flavor === 'mariadb' ? findIn([join(configured, '..', '..', 'bin'), join(configured, '..'), ...dirs], 'mariadb-install-db') : undefined;
    return { flavor, server: configured, installer };
  }
  const mariadbd = findIn(dirs, 'mariadbd');
  const installer = findIn(dirs, 'mariadb-install-db') ?? findIn(dirs, 'mysql_install_db');
  if (mariadbd && installer) return { flavor: 'mariadb', server: mariadbd, installer };
  const mysqld = findIn(dirs, 'mysqld');
  if (mysqld) {
    // Debian's MariaDB installs mysqld as a link to mariadbd.
    return installer ? { flavor: 'mariadb', server: mysqld, installer } : { flavor: 'mysql', server: mysqld };
  }
  throw new NoServerBinaryError(dirs);
}
