/** A throwaway certificate authority and a server certificate for db.test, made with openssl, for tests of TLS. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
