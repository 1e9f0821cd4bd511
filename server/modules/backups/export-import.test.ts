import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRows, rowCount, userData } from '../../../test/support/all-rows.js';
import { connectAgent, http, login } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { hasPostgres } from '../../../test/support/services.js';
import { createTestDatabase, startTestServer, type TestDatabase } from '../../../test/support/test-server.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { dumpDatabase, importDatabase } from './database-files.js';

/** One machine outgrows SQLite: export, import into PostgreSQL, and every row is there, readable. */
// Reading the PostgreSQL schema from information_schema takes seconds on a cluster holding many test
// schemas; the default 30 s is too tight for two imports and three exports.
describe.skipIf(!hasPostgres)('moving between SQLite and PostgreSQL', { timeout: 120_000 }, () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });
  const dir = mkdtempSync(join(tmpdir(), 'parley-move-'));

  it('SQLite → export → import into PostgreSQL → export → import into SQLite keeps every row', async () => {
    const s: Scenario = await startScenario('sqlite');
    cleanup.push(() => s.close());
    const base = `/api/v1/workspaces/${s.admin.workspaceId}`;
    await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body: { email: 'mover@example.com', phone: '+1 202 555 0143' },
    });
    const agent = await connectAgent(s.server, s.admin);
    for (let i = 0; i < 30; i += 1) agent.sendMessage(s.visitor.conversationId, `moving message ${i}`);
    await agent.next('message.ack', 30);
    agent.close();
    // The server drops the agent's presence row when it sees the socket close, in its own time: wait
    // for it, or the snapshot below races it and the export (taken after) has one row fewer.
    await expect
      .poll(async () => (await s.server.db.db.selectFrom('agent_presence').select('id').execute()).length)
      .toBe(0);
    await http(s.server, 'POST', `${base}/conversations/${s.visitor.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: 'moves too' },
    });
    const source = await allRows(s.server.db.db, 'sqlite');

    const exported = join(dir, 'parley-export.jsonl.gz');
    await dumpDatabase({ db: s.server.db.db, dialect: 'sqlite', file: exported, sealing: null });

    const pgDb: TestDatabase = await createTestDatabase('postgres');
    cleanup.push(() => pgDb.drop());
    const pg = pgDb.open();
    cleanup.push(() => pg.close());
    await migrateToLatest(pg.db, pgDb.schema);
    const progress: Array<[number, number]> = [];
    const imported = await importDatabase({
      db: pg.db,
      dialect: 'postgres',
      file: exported,
      onProgress: (done, total) => progress.push([done, total]),
    });
    // The server's jobs keep taking their leases meanwhile: every other row is compared.
    const landed = await allRows(pg.db, 'postgres');
    expect(imported.rows).toBe(rowCount(landed));
    expect(progress.at(-1)).toEqual([imported.rows, imported.rows]);
    expect(userData(landed)).toEqual(userData(source));

    // A second import into the now non-empty database is refused.
    await expect(importDatabase({ db: pg.db, dialect: 'postgres', file: exported })).rejects.toThrow(/empty/);

    // A PostgreSQL node with the same master key serves the moved data.
    const node = await startTestServer({ database: pgDb });
    cleanup.push(() => node.close());
    const admin = await login(node, s.admin.me.user.email);
    const msgs = await http(
      node,
      'GET',
      `${base}/conversations/${s.visitor.conversationId}/messages?limit=200`,
      {
        cookie: admin.cookie,
      },
    );
    expect(msgs.body.items.at(-1).body).toBe('moving message 29');
    const found = await http(node, 'POST', `${base}/visitors/lookup`, {
      cookie: admin.cookie,
      body: { email: 'mover@example.com' },
    });
    expect(found.body.items[0].phone).toBe('+1 202 555 0143');

    // And back again (with the session the PostgreSQL node added meanwhile).
    const moved = await allRows(pg.db, 'postgres');
    expect(rowCount(moved)).toBeGreaterThan(rowCount(source));
    const back = join(dir, 'parley-back.jsonl.gz');
    await dumpDatabase({ db: pg.db, dialect: 'postgres', file: back, sealing: null });
    const sqliteDb = await createTestDatabase('sqlite');
    cleanup.push(() => sqliteDb.drop());
    const lite = sqliteDb.open();
    cleanup.push(() => lite.close());
    await migrateToLatest(lite.db);
    await importDatabase({ db: lite.db, dialect: 'sqlite', file: back });
    expect(userData(await allRows(lite.db, 'sqlite'))).toEqual(userData(moved));
  });
});
