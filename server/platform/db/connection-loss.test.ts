import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectVisitor, http } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { hasPostgres, POSTGRES_URL } from '../../../test/support/services.js';

/** Ends every backend of this node, as a PostgreSQL restart, failover or pooler restart does. */
async function terminateBackends(schema: string): Promise<number> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const res = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [`parley ${schema}`],
    );
    return res.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe.runIf(hasPostgres)('PostgreSQL connection loss', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario('postgres');
  });
  afterEach(async () => scenario.close());

  it('survives backends terminated under a query in flight and serves again', async () => {
    const { server, admin, visitor } = scenario;
    const schema = scenario.database.schema as string;
    // A client checked out of the pool, busy when its backend ends: this used to emit an 'error'
    // with no listener and end the process.
    const inFlight = sql`SELECT pg_sleep(5)`.execute(server.db.db).then(
      () => 'finished',
      (err: Error & { code?: string }) => err.code ?? err.message,
    );
    const inTransaction = server.db.db
      .transaction()
      .execute(async (trx) => sql`SELECT pg_sleep(5)`.execute(trx))
      .then(
        () => 'finished',
        (err: Error & { code?: string }) => err.code ?? err.message,
      );
    // Wait until both queries are running, then end every backend of this node.
    for (let i = 0; i < 50; i += 1) {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      const { rows } = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_sleep%'",
        [`parley ${schema}`],
      );
      await admin.end();
      if ((rows[0] as { n: number }).n >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await terminateBackends(schema)).toBeGreaterThanOrEqual(2);
    expect(await inFlight).toBe('57P01');
    // Inside a transaction the ROLLBACK that follows goes to a closed connection: it reports the
    // loss as the driver saw it (the socket closed, or reset while the ROLLBACK was written).
    expect(['57P01', 'Connection terminated unexpectedly', 'ECONNRESET', 'EPIPE']).toContain(
      await inTransaction,
    );

    // The node keeps serving: once the pool has replaced the broken clients (a request that picks
    // one up before it notices fails alone), reads and socket sends go through fresh connections.
    await expect
      .poll(async () => (await http(server, 'GET', '/api/v1/auth/me', { cookie: admin.cookie })).status, {
        timeout: 5_000,
        interval: 100,
      })
      .toBe(200);
    const v = await connectVisitor(server, visitor.credential);
    v.sendMessage(visitor.conversationId, 'still there?');
    expect((await v.next('message.ack')).duplicate).toBe(false);
    v.close();
  });
});
