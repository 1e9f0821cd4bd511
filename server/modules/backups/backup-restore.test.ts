import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRows, rowCount, userData } from '../../../test/support/all-rows.js';
import { connectAgent, connectVisitor, http, startVisitor } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import type { DbHandle } from '../../platform/db/create-db.js';
import { DumpError } from '../../platform/db/dump/dump-format.js';
import { dumpDatabase, restoreDatabase } from './database-files.js';

/** Tables a running node writes by itself, without any request (see the snapshot test). */
const BACKGROUND_TABLES = new Set(['scheduler_leases']);

const PASSPHRASE = 'correct horse battery staple backup';
const sealing = { passphrase: PASSPHRASE, workFactor: 10 };

// On PostgreSQL, dumps and restores read the schema from information_schema table by table, which
// takes seconds on a cluster holding many test schemas; the default 30 s is too tight for that.
describe.each(DIALECTS)('backup and restore (%s)', { timeout: 120_000 }, (dialect) => {
  let s: Scenario;
  let cli: DbHandle;
  const dir = mkdtempSync(join(tmpdir(), 'parley-backup-'));
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;

  beforeAll(async () => {
    s = await startScenario(dialect);
    // The CLI is another process with its own connection; so is this handle.
    cli = s.database.open();
    await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body: { email: 'backup.person@example.net', name: 'Backup Person', custom: { tier: 'b' } },
    });
    await http(s.server, 'POST', `${base()}/conversations/${s.visitor.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: 'a note to keep' },
    });
    await http(s.server, 'PUT', `${base()}/widgets/${s.widget.id}/retention`, {
      cookie: s.admin.cookie,
      body: {
        visitorDataTtlSeconds: 3600,
        historyHours: 48,
        inactivityDays: 30,
        archiveInactive: true,
        storageOff: false,
      },
    });
  });
  afterAll(async () => {
    await cli?.close();
    await s?.close();
  });

  it('round-trips every row, and a backup taken under load is one consistent snapshot', async () => {
    const agent = await connectAgent(s.server, s.admin);
    let sending = true;
    let sent = 0;
    const traffic = (async () => {
      // Paced under the socket's rate limit (20 frames/s), however long the backup takes.
      while (sending) {
        agent.sendMessage(s.visitor.conversationId, `under load ${sent}`);
        sent += 1;
        await agent.next('message.ack', sent);
        await new Promise((r) => setTimeout(r, 60));
      }
    })();
    const file = join(dir, `load-${dialect}.age`);
    const progress: number[] = [];
    await agent.next('message.ack', 3);
    const header = await dumpDatabase({
      db: cli.db,
      dialect,
      file,
      sealing,
      onProgress: (done) => progress.push(done),
    });
    sending = false;
    await traffic;
    agent.close();
    expect(header.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['messages', 'data_keys', 'erasures']),
    );
    expect(progress.at(-1)).toBe(header.tables.reduce((n, t) => n + t.rows, 0));
    expect(readFileSync(file).subarray(0, 21).toString()).toBe('age-encryption.org/v1');

    const live = await allRows(cli.db, dialect);
    await restoreDatabase({ db: cli.db, dialect, file, unsealing: { passphrase: PASSPHRASE } });
    const restored = await allRows(cli.db, dialect);
    // The snapshot: every conversation's last_seq is exactly its highest stored message.
    const conv = await cli.db.selectFrom('conversations').select(['id', 'last_seq']).execute();
    for (const c of conv) {
      const top = await cli.db
        .selectFrom('messages')
        .select((eb) => eb.fn.max('seq').as('top'))
        .where('conversation_id', '=', c.id)
        .executeTakeFirst();
      expect(Number(top?.top ?? 0)).toBe(c.last_seq);
    }
    // The live node's own jobs write on their own clock (leases; the indexer taking the restored
    // backlog into the index), so those tables may move between the restore and this read. Every
    // other table holds exactly the backup's rows.
    const own = (rows: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(rows).filter(([name]) => !BACKGROUND_TABLES.has(name)));
    expect(rowCount(own(restored))).toBe(
      header.tables.filter((t) => !BACKGROUND_TABLES.has(t.name)).reduce((n, t) => n + t.rows, 0),
    );
    expect(rowCount(own(restored))).toBeLessThanOrEqual(rowCount(own(live)));

    // Backup → restore of a quiet database gives back exactly every row.
    const quiet = join(dir, `quiet-${dialect}.age`);
    const before = await allRows(cli.db, dialect);
    await dumpDatabase({ db: cli.db, dialect, file: quiet, sealing });
    await startVisitor(s.server, s.widget); // a change after the backup, which restore undoes
    expect(await allRows(cli.db, dialect)).not.toEqual(before);
    const result = await restoreDatabase({
      db: cli.db,
      dialect,
      file: quiet,
      unsealing: { passphrase: PASSPHRASE },
    });
    expect(userData(await allRows(cli.db, dialect))).toEqual(userData(before));
    expect(result.rows).toBe(rowCount(before));
    s.server.app.vault.clear();
    const msgs = await http(s.server, 'GET', `${base()}/conversations/${s.visitor.conversationId}/messages`, {
      cookie: s.admin.cookie,
    });
    expect(msgs.body.items.at(-1).body).toMatch(/^under load \d+$/);
  });

  it('refuses a wrong passphrase and a tampered or truncated file, clearly, and changes nothing', async () => {
    const file = join(dir, `refuse-${dialect}.age`);
    await dumpDatabase({ db: cli.db, dialect, file, sealing });
    const before = await allRows(cli.db, dialect);
    const attempt = (f: string, passphrase = PASSPHRASE) =>
      restoreDatabase({ db: cli.db, dialect, file: f, unsealing: { passphrase } });

    await expect(attempt(file, 'not the passphrase at all')).rejects.toThrow(
      new DumpError('Wrong passphrase or identity: this file was not encrypted for it.'),
    );
    const bytes = readFileSync(file);
    const tampered = Buffer.from(bytes);
    tampered[Math.floor(bytes.length * 0.7)] = (tampered[Math.floor(bytes.length * 0.7)] ?? 0) ^ 0x01;
    writeFileSync(join(dir, 'tampered.age'), tampered);
    await expect(attempt(join(dir, 'tampered.age'))).rejects.toThrow(/damaged or has been tampered with/);
    writeFileSync(join(dir, 'cut.age'), bytes.subarray(0, bytes.length - 40));
    await expect(attempt(join(dir, 'cut.age'))).rejects.toThrow(
      /damaged or has been tampered with|incomplete/,
    );
    writeFileSync(join(dir, 'plain.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    await expect(attempt(join(dir, 'plain.gz'))).rejects.toThrow(/not an encrypted Parley backup/);
    // Every row as it was (the running server's jobs may take their leases meanwhile).
    expect(userData(await allRows(cli.db, dialect))).toEqual(userData(before));
  });

  it('does not bring an erased visitor back: restore re-applies every erasure recorded since', async () => {
    const other = await startVisitor(s.server, s.widget);
    const file = join(dir, `erasure-${dialect}.age`);
    await dumpDatabase({ db: cli.db, dialect, file, sealing });

    const erased = await http(s.server, 'DELETE', `${base()}/visitors/${s.visitor.visitor.id}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(erased.status).toBe(200);
    const record = await cli.db.selectFrom('erasures').selectAll().execute();
    expect(record).toHaveLength(1);
    // Ids only: nothing of what the visitor said or was.
    expect(Object.keys(record[0] ?? {}).sort()).toEqual([
      'actor_user_id',
      'erased_at',
      'id',
      'via',
      'visitor_id',
      'workspace_id',
    ]);

    const result = await restoreDatabase({
      db: cli.db,
      dialect,
      file,
      unsealing: { passphrase: PASSPHRASE },
    });
    expect(result.erasuresReapplied).toBe(1);
    s.server.app.vault.clear();
    const gone = await http(s.server, 'GET', `${base()}/visitors/${s.visitor.visitor.id}`, {
      cookie: s.admin.cookie,
    });
    expect(gone.status).toBe(404);
    for (const table of [
      'visitors',
      'conversations',
      'visitor_profiles',
      'visitor_credentials',
      'conversation_archives',
    ] as const) {
      const col = table === 'visitors' ? 'id' : 'visitor_id';
      const rows = await cli.db
        .selectFrom(table)
        .select(col as never)
        .where(col as never, '=', s.visitor.visitor.id as never)
        .execute();
      expect(rows, table).toEqual([]);
    }
    expect(
      await cli.db.selectFrom('data_keys').select('id').where('id', '=', s.visitor.visitor.id).execute(),
    ).toEqual([]);
    expect(await cli.db.selectFrom('erasures').select('visitor_id').execute()).toEqual([
      { visitor_id: s.visitor.visitor.id },
    ]);
    const kept = await http(s.server, 'GET', `${base()}/visitors/${other.visitor.id}`, {
      cookie: s.admin.cookie,
    });
    expect(kept.status).toBe(200);

    // The restored node still works for everyone else.
    const v = await connectVisitor(s.server, (await startVisitor(s.server, s.widget)).credential);
    v.close();
  });
});
