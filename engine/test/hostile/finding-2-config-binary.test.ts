/**
 * Issue 9, finding 2: `connection.sandbox.binary` in a repository's
 * schemabranch.json ran the repository's program on `diff main`,
 * `branch list`, and in the language server on `deployRequest/list`.
 * Now a repository cannot name a program; only the user can (PATH,
 * SCHEMABRANCH_MARIADBD, the machine-scoped editor setting).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../../../cli/test/run-cli.js';
import { ListDeployRequests } from '../../../server/src/protocol.js';
import { startClient } from '../../../server/test/support/lsp.js';
import { hostileRepo, TABLE } from './repo.js';

test('finding 2: a repository naming sandbox.binary never gets it run, by the CLI or the language server', async () => {
  const repo = hostileRepo({ 'schema/main/users.sql': TABLE });
  const trap = repo.trap('tools/db-server');
  repo.write('schemabranch.json', JSON.stringify({ database: 'hostile2', connection: { sandbox: { binary: 'tools/db-server' } } }));
  try {
    for (const args of [['diff', 'main'], ['branch', 'list'], ['sandbox', 'start'], ['branch', 'push', 'main']]) {
      const r = await cli(['--dir', repo.root, ...args]);
      assert.notEqual(r.code, 0, `${args.join(' ')} must refuse the config`);
      assert.match(r.stderr, /connection\.sandbox\.binary is not read from schemabranch\.json/, args.join(' '));
      assert.match(r.stderr, /SCHEMABRANCH_MARIADBD/, 'the message says where to configure it instead');
    }
    assert.equal(trap.ran(), false, 'the CLI ran the repository\'s program');

    const c = await startClient(repo.root, { initializationOptions: {} });
    try {
      await assert.rejects(c.conn.sendRequest(ListDeployRequests.type, {}), /sandbox\.binary is not read/);
      assert.match(c.status.message, /sandbox\.binary is not read.*SCHEMABRANCH_MARIADBD/s, 'the editor\'s status says why');
    } finally {
      await c.close();
    }
    assert.equal(trap.ran(), false, 'the language server ran the repository\'s program');
  } finally {
    repo.remove();
  }
});

test('finding 2 and 9: the user\'s own choice, SCHEMABRANCH_MARIADBD, is what runs, and its failure is told without "undefined"', async () => {
  const repo = hostileRepo({ 'schema/main/users.sql': TABLE, 'schemabranch.json': JSON.stringify({ database: 'hostile2b' }) });
  const mine = repo.trap('../outside/my-mysqld');
  try {
    const r = await cli(['--dir', repo.root, 'sandbox', 'start'], { SCHEMABRANCH_MARIADBD: mine.path });
    assert.notEqual(r.code, 0);
    assert.equal(mine.ran(), true, 'SCHEMABRANCH_MARIADBD names the binary');
    // Finding 9: a failed start said "undefined"; now it says how the program ended.
    assert.match(r.stderr, /my-mysqld exited with code 1\)\. It printed nothing\./);
    assert.doesNotMatch(r.stderr, /undefined/);
  } finally {
    repo.remove();
  }
});
