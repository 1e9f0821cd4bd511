import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectVisitor,
  createWidget,
  http,
  login,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { hasPostgres, hasRedis } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import type { Agent } from '../auth/agent.js';
import { assignWaitingQueries } from './assign-waiting-queries.js';
import { agentConnected } from './presence.js';
import { routeQueue } from './publish-query.js';

const SETUPS = [
  { name: 'two nodes on one SQLite file', dialect: 'sqlite' as const, redis: false },
  ...(hasPostgres && hasRedis
    ? [{ name: 'two nodes on PostgreSQL + Redis', dialect: 'postgres' as const, redis: true }]
    : []),
];

/** Two Parley nodes sharing one database race to assign the same queries. */
describe.each(SETUPS)('assignment race: $name', ({ dialect, redis }) => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let admin: TestAgent;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    a = await startTestServer({ database, redis });
    b = await startTestServer({ database, redis, migrate: false });
    admin = await setupAdmin(a);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  /** Visitors who each wrote once: with no bot in this workspace each conversation queues. */
  async function queuedQueries(n: number): Promise<string[]> {
    const widget = await createWidget(a, admin);
    for (let i = 0; i < n; i++) {
      const v = await startVisitor(a, widget);
      const probe = await connectVisitor(a, v.credential);
      probe.sendMessage(v.conversationId, `help ${i}`);
      await probe.next('message.ack');
      probe.close();
    }
    const ids: string[] = [];
    for (let tries = 0; tries < 100 && ids.length < n; tries++) {
      ids.splice(0, ids.length, ...(await queued()));
      if (ids.length < n) await new Promise((r) => setTimeout(r, 20));
    }
    return ids;
  }
  const queued = async () =>
    (
      await a.db.db
        .selectFrom('queries')
        .select('id')
        .where('workspace_id', '=', admin.workspaceId)
        .where('state', '=', 'queued')
        .execute()
    ).map((r) => r.id);

  it('two operators picking the same query on different nodes: exactly one gets it', async () => {
    const ana = await addAgent(a, admin.workspaceId, 'operator', `ana-${dialect}@example.com`);
    const ben = await login(
      b,
      (await addAgent(a, admin.workspaceId, 'operator', `ben-${dialect}@example.com`)).me.user.email,
    );
    const [id] = await queuedQueries(1);
    const path = `/api/v1/workspaces/${admin.workspaceId}/queries/${id}/pick`;
    for (let round = 0; round < 1; round++) {
      const [onA, onB] = await Promise.all([
        http(a, 'POST', path, { cookie: ana.cookie, body: {} }),
        http(b, 'POST', path, { cookie: ben.cookie, body: {} }),
      ]);
      const statuses = [onA.status, onB.status].sort();
      expect(statuses[0]).toBe(200);
      // The loser is told it was taken (or, once assigned, it is no longer in their scope).
      expect([404, 409]).toContain(statuses[1]);
    }
    const events = await a.db.db
      .selectFrom('query_events')
      .select('kind')
      .where('query_id', '=', id as string)
      .where('kind', '=', 'assigned')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('round-robin on both nodes at once assigns each query once and nobody past capacity', async () => {
    const ws = admin.workspaceId;
    const agents: Agent[] = [];
    for (const [name, capacity] of [
      ['cara', 2],
      ['dev', 1],
      ['eli', 0],
    ] as const) {
      const who = await addAgent(a, ws, 'operator', `${name}-${dialect}@example.com`);
      await http(a, 'PUT', `/api/v1/workspaces/${ws}/agents/${who.me.user.id}/settings`, {
        cookie: admin.cookie,
        body: { capacity },
      });
      agents.push({ userId: who.me.user.id, workspaceId: ws, role: 'operator' } as Agent);
    }
    // The operators of the first test stay offline: only these three are online (heartbeats on both nodes).
    const ids = await queuedQueries(6);
    expect(ids.length).toBeGreaterThanOrEqual(6);
    for (const agent of agents) {
      await agentConnected(a.db.db, 'node-a', agent);
      await agentConnected(b.db.db, 'node-b', agent);
    }
    const ttl = 60_000;
    const runs = await Promise.all([
      assignWaitingQueries({ db: a.db.db, workspaceId: ws, presenceTtlMs: ttl }),
      assignWaitingQueries({ db: b.db.db, workspaceId: ws, presenceTtlMs: ttl }),
      assignWaitingQueries({ db: a.db.db, workspaceId: ws, presenceTtlMs: ttl }),
      assignWaitingQueries({ db: b.db.db, workspaceId: ws, presenceTtlMs: ttl }),
    ]);
    const all = runs.flat();
    // Each query at most once, across every run on both nodes.
    expect(new Set(all.map((x) => x.queryId)).size).toBe(all.length);
    const held = await a.db.db
      .selectFrom('queries')
      .select(['assignee_id'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', ws)
      .where('state', '=', 'assigned')
      .groupBy('assignee_id')
      .execute();
    const byAgent = Object.fromEntries(held.map((h) => [h.assignee_id, Number(h.n)]));
    const [cara, dev, eli] = agents.map((x) => x.userId) as [string, string, string];
    expect(byAgent[cara]).toBe(2);
    expect(byAgent[dev]).toBe(1);
    // At capacity (0) gets none.
    expect(byAgent[eli]).toBeUndefined();
    const assignedEvents = await a.db.db
      .selectFrom('query_events')
      .select(['query_id'])
      .where('workspace_id', '=', ws)
      .where('kind', '=', 'assigned')
      .execute();
    expect(new Set(assignedEvents.map((e) => e.query_id)).size).toBe(assignedEvents.length);
    expect((await queued()).length).toBe(ids.length - 3);
  });

  it('a burst of routings on both nodes answers each caller once its queries have an operator', async () => {
    const ws = admin.workspaceId;
    // Eight more wait beside those the tests above left queued (their operators are full or offline).
    await queuedQueries(8);
    const ids = await queued();
    expect(ids.length).toBeGreaterThanOrEqual(8);
    const capacity = Math.ceil(ids.length / 2);
    const agents: Agent[] = [];
    for (const name of ['fay', 'gus']) {
      const who = await addAgent(a, ws, 'operator', `${name}-${dialect}@example.com`);
      await http(a, 'PUT', `/api/v1/workspaces/${ws}/agents/${who.me.user.id}/settings`, {
        cookie: admin.cookie,
        body: { capacity },
      });
      agents.push({ userId: who.me.user.id, workspaceId: ws, role: 'operator' } as Agent);
    }
    for (const agent of agents) {
      await agentConnected(a.db.db, 'node-a', agent);
      await agentConnected(b.db.db, 'node-b', agent);
    }
    // Twenty callers at once, as a thousand handoffs at once would be: the routings on each node
    // are one at a time, and every caller is answered by one that began after its call.
    const deps = (node: TestServer) => ({
      db: node.db.db,
      vault: node.app.vault,
      pubsub: node.pubsub,
      presenceTtlMs: 60_000,
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => routeQueue(deps(i % 2 === 0 ? a : b), ws)));
    const rows = await a.db.db
      .selectFrom('queries')
      .select(['id', 'state', 'assignee_id'])
      .where('id', 'in', ids)
      .execute();
    expect(rows.map((r) => r.state)).toEqual(ids.map(() => 'assigned'));
    for (const agent of agents)
      expect(rows.filter((r) => r.assignee_id === agent.userId).length).toBeLessThanOrEqual(capacity);
    const events = await a.db.db
      .selectFrom('query_events')
      .select('query_id')
      .where('query_id', 'in', ids)
      .where('kind', '=', 'assigned')
      .execute();
    expect(events).toHaveLength(ids.length);
  });
});
