import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Widget } from '../../../protocol/api.js';
import type { Message } from '../../../protocol/common.js';
import { RealtimeClient } from '../../../protocol/realtime-client.js';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../../../protocol/ws-close-codes.js';
import {
  createWidget,
  fetchTicket,
  http,
  PASSWORD,
  type Reachable,
  sessionCookie,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { createOwnDatabase, terminateBackendsOf } from '../../../test/support/own-database.js';
import { hasPostgres, hasRedis, REDIS_URL } from '../../../test/support/services.js';
import { type SpawnedNode, spawnNode } from '../../../test/support/spawned-node.js';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';

/** Every acked message, and what every client was handed, to check against the database at the end. */
class Ledger {
  readonly acked = new Map<string, { conversationId: string; seq: number }>();
  readonly sentAt = new Map<string, number>();
  readonly delivered = new Map<string, Map<string, number[]>>();
  readonly ackTimes = new Map<string, number[]>();

  ack(client: string, clientId: string, conversationId: string, seq: number) {
    this.acked.set(clientId, { conversationId, seq });
    const times = this.ackTimes.get(client) ?? [];
    times.push(Date.now());
    this.ackTimes.set(client, times);
  }

  deliver(client: string, message: Message) {
    let perClient = this.delivered.get(client);
    if (!perClient) {
      perClient = new Map();
      this.delivered.set(client, perClient);
    }
    const seqs = perClient.get(message.conversationId) ?? [];
    seqs.push(message.seq);
    perClient.set(message.conversationId, seqs);
  }

  /** How long after `at` every client had an ack again (the slowest client's time to get going). */
  recoveredAfter(at: number): number | null {
    let slowest = 0;
    for (const times of this.ackTimes.values()) {
      const next = times.find((t) => t > at);
      if (next === undefined) return null;
      slowest = Math.max(slowest, next - at);
    }
    return slowest;
  }
}

function socketTo(origin: string, headers: Record<string, string> = {}) {
  return (url: string, protocols: string[]) =>
    new WebSocket(url, protocols, { origin, headers, perMessageDeflate: false }) as never;
}

/**
 * Two nodes on PostgreSQL and Redis under steady chat, through the faults an operator of such a
 * deployment meets: a node killed (-9) and started again, Redis going away and coming back, every
 * PostgreSQL backend terminated. Clients are the reference client (protocol/realtime-client.ts): they
 * reconnect, resubscribe with their last seq and resend what was not acked with the same client id.
 * At the end, a ledger of every ack is held against the database and against what every open
 * client was handed: nothing lost, duplicated, reordered or left unseen, and no node exited that was
 * not killed. Recovery times are printed, not asserted (the bench measures speed).
 */
describe.runIf(hasPostgres && hasRedis)('chaos on two nodes (PostgreSQL + Redis)', () => {
  let database: Awaited<ReturnType<typeof createOwnDatabase>>;
  let redis: TcpProxy;
  let a: SpawnedNode;
  let b: SpawnedNode;
  let widget: Widget;
  let admin: TestAgent;

  beforeAll(async () => {
    database = await createOwnDatabase('parley_chaos');
    const target = new URL(REDIS_URL);
    redis = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const redisUrl = `redis://127.0.0.1:${redis.port}`;
    a = await spawnNode(database, { redisUrl });
    b = await spawnNode(database, { redisUrl });
    // The first administrator, through the one-time link the last node to start printed (each start
    // prints a fresh one, and the earlier link stops working).
    // It is printed just after "Parley is running".
    for (let i = 0; i < 200 && !b.output().includes('#token='); i += 1)
      await new Promise((r) => setTimeout(r, 50));
    const link = /https?:\/\/\S+#token=(\S+)/.exec(b.output());
    if (!link) throw new Error(`no setup link in:\n${b.output()}`);
    const setup = await http(b, 'POST', '/api/v1/setup', {
      body: {
        token: link[1],
        email: 'admin@example.com',
        name: 'Ada Admin',
        password: PASSWORD,
        workspaceName: 'Acme Support',
      },
    });
    expect(setup.status, JSON.stringify(setup.body)).toBe(201);
    admin = { cookie: sessionCookie(setup), me: setup.body, workspaceId: setup.body.workspace.id };
    widget = await createWidget(a, admin);
  }, 120_000);
  afterAll(async () => {
    for (const n of [a, b]) await n?.kill();
    await redis?.close();
    await database?.drop();
  });

  it('loses, duplicates, reorders and hides nothing through a kill, a Redis restart and lost backends', async () => {
    const ledger = new Ledger();
    const host = widget.allowedOrigins[0] as string;
    const nodes = { a, b } as Record<'a' | 'b', Reachable>;
    // Visitors on A, the operator on B (behind a balancer, as two nodes usually are).
    const visitors = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const session = await startVisitor(a, widget);
        const name = `visitor${i}`;
        const client = new RealtimeClient({
          url: a.wsUrl,
          protocols: async () => [
            WS_PROTOCOL,
            WS_TICKET_PREFIX + (await fetchTicket(nodes.a, session.credential)),
          ],
          createSocket: socketTo(host),
          onMessage: (m) => ledger.deliver(name, m),
          onAck: (f) => ledger.ack(name, f.clientId, f.conversationId, f.seq),
          minBackoffMs: 100,
          maxBackoffMs: 500,
        });
        client.start();
        client.subscribe(session.conversationId, 0);
        return { name, client, conversationId: session.conversationId };
      }),
    );
    const agent = new RealtimeClient({
      url: b.wsUrl,
      protocols: async () => [WS_PROTOCOL],
      createSocket: socketTo(b.origin, { cookie: admin.cookie }),
      onMessage: (m) => ledger.deliver('agent', m),
      onAck: (f) => ledger.ack('agent', f.clientId, f.conversationId, f.seq),
      minBackoffMs: 100,
      maxBackoffMs: 500,
    });
    agent.start();
    for (const v of visitors) agent.subscribe(v.conversationId, 0);

    let n = 0;
    const chat = setInterval(() => {
      n += 1;
      for (const v of visitors) v.client.send(v.conversationId, `visitor says ${n}`);
      const to = visitors[n % visitors.length];
      if (to) agent.send(to.conversationId, `agent answers ${n}`);
    }, 250);
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const recovery: Record<string, number | null> = {};
    try {
      await pause(1500);

      // 1. Node A dies without a word and comes back on its address.
      let at = Date.now();
      const port = Number(new URL(a.url).port);
      await a.kill();
      a = await spawnNode(database, { redisUrl: `redis://127.0.0.1:${redis.port}`, port });
      await pause(2500);
      recovery['node A killed'] = ledger.recoveredAfter(at);

      // 2. Redis goes away for two seconds, then comes back.
      at = Date.now();
      redis.cut();
      await pause(2000);
      redis.restore();
      await pause(2500);
      recovery['Redis restarted'] = ledger.recoveredAfter(at);

      // 3. Every PostgreSQL backend of both nodes is terminated.
      at = Date.now();
      expect(await terminateBackendsOf(database.name)).toBeGreaterThan(0);
      await pause(2500);
      recovery['backends terminated'] = ledger.recoveredAfter(at);
    } finally {
      clearInterval(chat);
    }

    // Every message a client queued is acked in the end (resent with its client id until it is).
    const all = [...visitors.map((v) => v.client), agent];
    const deadline = Date.now() + 40_000;
    while (all.some((c) => c.pendingCount() > 0) && Date.now() < deadline) await pause(100);
    expect(all.map((c) => c.pendingCount())).toEqual(all.map(() => 0));

    // The database: every acked message stored once, at its acked seq, and seqs without gaps.
    const db = database.open();
    try {
      const rows = await db.db
        .selectFrom('messages')
        .select(['conversation_id', 'seq', 'client_id'])
        .where(
          'conversation_id',
          'in',
          visitors.map((v) => v.conversationId),
        )
        .orderBy('conversation_id')
        .orderBy('seq')
        .execute();
      const byClientId = new Map<string, number>();
      for (const r of rows) byClientId.set(r.client_id, (byClientId.get(r.client_id) ?? 0) + 1);
      expect([...byClientId.values()].every((count) => count === 1)).toBe(true);
      for (const [clientId, acked] of ledger.acked) {
        const row = rows.find((r) => r.client_id === clientId);
        expect(row, `acked ${clientId} is stored`).toMatchObject({
          conversation_id: acked.conversationId,
          seq: acked.seq,
        });
      }
      const lastSeq = new Map<string, number>();
      for (const v of visitors) {
        const seqs = rows.filter((r) => r.conversation_id === v.conversationId).map((r) => Number(r.seq));
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
        lastSeq.set(v.conversationId, seqs.length);
      }

      // Every open client was handed every message of its conversations, in order, once: nothing
      // stayed unseen waiting for a later message.
      const seen = () =>
        visitors.every((v) => {
          const own = ledger.delivered.get(v.name)?.get(v.conversationId) ?? [];
          const theirs = ledger.delivered.get('agent')?.get(v.conversationId) ?? [];
          const last = lastSeq.get(v.conversationId) ?? 0;
          return own.length === last && theirs.length === last;
        });
      const seenBy = Date.now() + 20_000;
      while (!seen() && Date.now() < seenBy) await pause(200);
      for (const v of visitors) {
        const want = Array.from({ length: lastSeq.get(v.conversationId) ?? 0 }, (_, i) => i + 1);
        expect(ledger.delivered.get(v.name)?.get(v.conversationId), `${v.name} saw`).toEqual(want);
        expect(ledger.delivered.get('agent')?.get(v.conversationId), `the agent saw ${v.name}'s`).toEqual(
          want,
        );
      }
    } finally {
      await db.close();
      for (const c of all) c.stop();
    }

    // No node ended that was not killed.
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    console.log(
      `chaos: ${ledger.acked.size} acked messages; time until every client had an ack again after each fault (ms):`,
      recovery,
    );
  }, 150_000);
});
