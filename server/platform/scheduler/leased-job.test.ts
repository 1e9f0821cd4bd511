import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/services.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-server.js';
import type { DbHandle } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { claimLease, findLease } from './lease.repository.js';
import { LeasedJob } from './leased-job.js';

/** Two nodes (two connections to one database) tick the same job; the lease lets one run at a time. */
describe.each(DIALECTS)('a leased job (%s)', (dialect) => {
  let database: TestDatabase;
  const handles: DbHandle[] = [];
  afterAll(async () => {
    for (const h of handles) await h.close();
    await database?.drop();
  });

  it('never runs on two nodes at once, hands over when released, and takes over an expired lease', async () => {
    database = await createTestDatabase(dialect);
    const a = database.open();
    const b = database.open();
    handles.push(a, b);
    await migrateToLatest(a.db, database.schema);
    let clock = Date.parse('2030-01-01T00:00:00.000Z');
    const now = () => new Date(clock);
    let inside = 0;
    let overlaps = 0;
    const runs: string[] = [];
    const job = (handle: DbHandle, node: string) =>
      new LeasedJob({
        db: handle.db,
        name: 'test-job',
        leaseMs: 60_000,
        now,
        node,
        run: async ({ keepGoing, holder }) => {
          inside += 1;
          if (inside > 1) overlaps += 1;
          for (let i = 0; i < 3; i += 1) {
            if (!(await keepGoing())) break;
            await new Promise((r) => setTimeout(r, 5));
          }
          runs.push(holder);
          inside -= 1;
          return true;
        },
      });
    const nodeA = job(a, 'node-a');
    const nodeB = job(b, 'node-b');

    const outcomes: string[] = [];
    for (let round = 0; round < 10; round += 1)
      outcomes.push(...(await Promise.all([nodeA.tick(), nodeB.tick()])));
    expect(outcomes.every((o) => o === 'ran' || o === 'busy')).toBe(true);
    // They did contend (one found the other holding the lease), and never ran at the same time.
    expect(outcomes).toContain('busy');
    expect(overlaps).toBe(0);
    expect(runs.length).toBeGreaterThanOrEqual(10);
    expect((await findLease(a.db, 'test-job'))?.holder).toBeNull();

    // A node that died holding the lease: the others wait until it expires, then take over.
    expect(
      await claimLease(a.db, {
        name: 'test-job',
        holder: 'dead',
        now: now().toISOString(),
        expiresAt: new Date(clock + 60_000).toISOString(),
      }),
    ).toBe(true);
    expect(await nodeA.tick()).toBe('busy');
    expect(await nodeB.tick()).toBe('busy');
    clock += 61_000;
    expect(await nodeB.tick()).toBe('ran');
    expect((await findLease(a.db, 'test-job'))?.last_run_at).toBe(now().toISOString());
  });

  it('stops before its next batch when another node took the lease meanwhile', async () => {
    const [a] = handles as [DbHandle];
    let clock = Date.parse('2031-01-01T00:00:00.000Z');
    let batches = 0;
    const job = new LeasedJob({
      db: a.db,
      name: 'slow-job',
      leaseMs: 60_000,
      now: () => new Date(clock),
      node: 'paused',
      run: async ({ keepGoing }) => {
        while (await keepGoing()) {
          batches += 1;
          // This node "pauses" past its lease and another claims it.
          clock += 120_000;
          await claimLease(a.db, {
            name: 'slow-job',
            holder: 'other',
            now: new Date(clock).toISOString(),
            expiresAt: new Date(clock + 60_000).toISOString(),
          });
        }
        return false;
      },
    });
    expect(await job.tick()).toBe('interrupted');
    expect(batches).toBe(1);
    expect((await findLease(a.db, 'slow-job'))?.holder).toBe('other');
  });

  it('takes no lease and writes nothing while it has nothing to do', async () => {
    database ??= await createTestDatabase(dialect);
    const h = database.open();
    handles.push(h);
    await migrateToLatest(h.db, database.schema);
    let due = false;
    let ran = 0;
    const job = new LeasedJob({
      db: h.db,
      name: 'idle-job',
      leaseMs: 60_000,
      due: async () => due,
      run: async () => {
        ran += 1;
        return true;
      },
    });
    expect(await job.tick()).toBe('ran');
    expect(ran).toBe(0);
    expect(await findLease(h.db, 'idle-job')).toBeUndefined();
    due = true;
    expect(await job.tick()).toBe('ran');
    expect(ran).toBe(1);
    expect((await findLease(h.db, 'idle-job'))?.holder).toBeNull();
  });
});
