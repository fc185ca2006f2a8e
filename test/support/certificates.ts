/** A throwaway certificate authority and a server certificate for db.test, made with openssl, for tests of TLS. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../engine/src/sandbox/sandbox.js';
import type { ServerTarget } from '../../engine/src/db/target.js';

export function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const at = (f: string) => join(dir, f);
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=schemabranch test CA', '-keyout', at('ca-key.pem'), '-out', at('ca.pem')]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=db.test', '-keyout', at('server-key.pem'), '-out', at('server.csr')]);
  // The server's only name is db.test: connecting as 127.0.0.1/localhost is a wrong host name.
  writeFileSync(at('ext.cnf'), 'subjectAltName=DNS:db.test\n');
  run(['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca-key.pem'), '-CAcreateserial', '-days', '2', '-extfile', at('ext.cnf'), '-out', at('server.pem')]);
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server-key.pem') };
}

/**
 * A private server that accepts only encrypted connections over TCP
 * (require_secure_transport=ON), with certificates made for it. `started` is
 * reached over its socket, which the server counts as secure; `stop` removes it all.
 */
export async function startTlsServer(prefix: string): Promise<{ pem: { ca: string; cert: string; key: string }; started: ServerTarget; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'certs'));
  const pem = makeCertificates(join(dir, 'certs'));
  const sandbox = new Sandbox({ dir: join(dir, 'server'), serverArgs: [`--ssl-ca=${pem.ca}`, `--ssl-cert=${pem.cert}`, `--ssl-key=${pem.key}`, '--require-secure-transport=ON'] });
  const stop = async (): Promise<void> => {
    await sandbox.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return { pem, started: await sandbox.start(), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
