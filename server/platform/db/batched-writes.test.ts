import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { hasPostgres, POSTGRES_URL } from '../../../test/support/services.js';
import { batchWrites } from './batched-writes.js';

type Counted = { _write: (...a: unknown[]) => unknown; _writev: (...a: unknown[]) => unknown };

/**
 * Queries issued on one PostgreSQL connection in one turn of the event loop leave in one write
 * (one system call), and each is still answered on its own; a query issued in a later turn is
 * not held back by the earlier turn's.
 */
describe.runIf(hasPostgres || process.env.CI === 'true')('batched writes (postgres)', () => {
  let client: pg.Client | undefined;
  afterEach(async () => {
    await client?.end();
  });

  /** A pipelined client (as create-db.ts makes them) whose socket counts the writes it makes. */
  async function countedClient(batched: boolean) {
    client = new pg.Client({ connectionString: POSTGRES_URL, pipeline: true } as pg.ClientConfig);
    await client.connect();
    if (batched) batchWrites(client as unknown as pg.PoolClient);
    const socket = (client as unknown as { connection: { stream: Counted } }).connection.stream;
    let writes = 0;
    for (const method of ['_write', '_writev'] as const) {
      const original = socket[method].bind(socket);
      socket[method] = (...args: unknown[]) => {
        writes += 1;
        return original(...args);
      };
    }
    return { client, writes: () => writes };
  }

  const three = (c: pg.Client) =>
    Promise.all([1, 2, 3].map(async (n) => (await c.query('SELECT $1::int AS n', [n])).rows[0].n));

  it('sends the queries of one turn in one write, and answers each', async () => {
    const { client, writes } = await countedClient(true);
    expect(await three(client)).toEqual([1, 2, 3]);
    expect(writes()).toBe(1);
    // The next turn's queries go out by themselves, as soon as they are issued.
    expect((await client.query('SELECT 4 AS n')).rows[0].n).toBe(4);
    expect(writes()).toBe(2);
  });

  it('writes each query by itself without it (what the batching saves)', async () => {
    const { client, writes } = await countedClient(false);
    expect(await three(client)).toEqual([1, 2, 3]);
    expect(writes()).toBe(3);
  });
});
