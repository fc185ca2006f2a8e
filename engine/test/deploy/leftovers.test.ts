/**
 * A failure leaves nothing behind (issue 10): `cancel` removes every trigger,
 * shadow and changelog the server shows for the request, whether or not the
 * engine still has a record of them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { fixture } from './fixture.js';

test('cancel removes the triggers, shadow and changelog the server shows, even when the migration record is gone', async () => {
  const f = await fixture({ rows: 300 });
  try {
    const r = await f.dr.create(f.branch);
    const waiting = await f.dr.deploy(r.id, { gated: true });
    assert.equal(waiting.state, 'pending_cutover');
    const id = Number(waiting.migrationId);
    const triggers = async (): Promise<string[]> => {
      const [t] = await f.conn.query<RowDataPacket[]>('SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME', [f.main]);
      return t.map((x) => String(x.n));
    };
    const changelogs = async (): Promise<string[]> => {
      const [t] = await f.conn.query<RowDataPacket[]>("SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = '_schemabranch' AND TABLE_NAME LIKE ?", [`migration\\_${id}\\_changelog\\_%`]);
      return t.map((x) => String(x.n));
    };
    assert.ok((await triggers()).length > 0);
    assert.ok((await f.tables()).some((t) => /_sb\d+_new$/.test(t)));
    assert.ok((await changelogs()).length > 0);

    // The engine loses its record (a crash between steps, a hand-edited store): the server still shows the objects.
    await f.conn.query('DELETE FROM `_schemabranch`.`migration_tables` WHERE `migration_id` = ?', [id]);
    await f.conn.query('DELETE FROM `_schemabranch`.`migration_runs` WHERE `id` = ?', [id]);

    const cancelled = await f.dr.cancel(r.id);
    assert.equal(cancelled.state, 'cancelled');
    assert.deepEqual(await triggers(), [], 'no capture trigger left on main');
    assert.deepEqual(await f.tables(), ['notes', 'users'], 'no shadow left');
    assert.deepEqual(await changelogs(), [], 'no changelog left to grow');
    await f.conn.query("INSERT INTO users (email) VALUES ('after@example.com')");
    assert.equal(await f.count(), 301);
  } finally {
    await f.cleanup();
  }
});
