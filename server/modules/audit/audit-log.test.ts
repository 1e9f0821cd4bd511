import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv } from '../../../test/support/clean-env.js';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import type { DbHandle } from '../../platform/db/create-db.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { recordAuditEvent } from './record-audit-event.js';
import { verifyAuditLog } from './verify-audit-log.js';

const run = promisify(execFile);

describe.each(DIALECTS)('audit log hash chain (%s)', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;

  async function open() {
    database = await createTestDatabase(dialect);
    handle = database.open();
    await migrateToLatest(handle.db, database.schema);
    return handle.db;
  }
  afterEach(async () => {
    await handle?.close();
    await database?.drop();
  });

  async function fill(db: DbHandle['db']) {
    // Concurrent appends to one workspace still make one unbroken chain.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        recordAuditEvent(db, {
          workspaceId: i % 3 === 0 ? 'ws-b' : 'ws-a',
          actor: { type: 'user', id: `u${i}` },
          action: 'auth.login.succeeded',
          ip: '127.0.0.1',
          details: { n: i },
        }),
      ),
    );
  }

  it('verifies a clean log and counts every entry', async () => {
    const db = await open();
    await fill(db);
    expect(await verifyAuditLog(db)).toEqual({ ok: true, workspaces: 2, entries: 12, problems: [] });
  });

  it('detects an edited entry, a removed entry and a removed tail', async () => {
    const db = await open();
    await fill(db);
    await db
      .updateTable('audit_events')
      .set({ action: 'auth.login.failed' })
      .where('workspace_id', '=', 'ws-a')
      .where('seq', '=', 3)
      .execute();
    let result = await verifyAuditLog(db);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toContain('entry 3 was modified');

    await db.deleteFrom('audit_events').where('workspace_id', '=', 'ws-b').where('seq', '=', 2).execute();
    result = await verifyAuditLog(db);
    expect(result.problems.join('\n')).toContain('workspace ws-b: entry 2 is missing');

    await db.deleteFrom('audit_events').where('workspace_id', '=', 'ws-b').where('seq', '=', 4).execute();
    result = await verifyAuditLog(db);
    expect(result.problems.join('\n')).toContain('entries were removed');
  });

  it('`parley audit verify` exits 0 on a clean log and 3 after a row is edited', async () => {
    const db = await open();
    await fill(db);
    // The CLI gets only its own settings: a DATABASE_URL in the shell running the tests must not
    // send it to another database than the one this test filled.
    const env = cleanEnv(
      database.database.kind === 'sqlite'
        ? { PARLEY_DATA_DIR: dirname(database.database.file) }
        : {
            DATABASE_URL: `${database.database.url}?options=${encodeURIComponent(`-c search_path=${database.schema}`)}`,
          },
    );
    const ok = await run(process.execPath, ['dist/server/main.js', 'audit', 'verify'], { env });
    expect(ok.stdout).toContain('Audit log intact: 12 entries');
    await db.updateTable('audit_events').set({ ip: '10.0.0.1' }).where('seq', '=', 1).execute();
    const failed = await run(process.execPath, ['dist/server/main.js', 'audit', 'verify'], { env }).catch(
      (e) => e,
    );
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('was modified after it was written');
  }, 90_000); // two CLI processes, each loading Parley and opening the database
});
