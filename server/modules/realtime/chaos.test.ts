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

/** A socket from a page of `origin`, or (null) from the dashboard of whichever node it goes to. */
function socketTo(origin: string | null, headers: Record<string, string> = {}) {
  return (url: string, protocols: string[]) =>
    new WebSocket(url, protocols, {
      origin: origin ?? new URL(url.replace(/^ws/, 'http')).origin,
      headers,
      perMessageDeflate: false,
    }) as never;
}

/**
 * What a load balancer does for a reconnecting client: the first attempt goes to its node, each
 * later one to the next node, so a client whose node went away is back on the other within one try.
 */
function balancer(nodes: () => Reachable[], first: number) {
  let attempt = first;
  let current: Reachable | undefined;
  return {
    next(): Reachable {
      const all = nodes();
      current = all[attempt % all.length] as Reachable;
      attempt += 1;
      return current;
    },
    url: () => (current as Reachable).wsUrl,
  };
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

  type Fault = { name: string; run: () => Promise<void> };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const redisUrl = () => `redis://127.0.0.1:${redis.port}`;
  /** Restarts a node on its address: killed (-9), or stopped with SIGTERM (a drain) first. */
  const restart = async (node: SpawnedNode, how: 'kill' | 'stop') => {
    const port = Number(new URL(node.url).port);
    if (how === 'kill') await node.kill();
    else expect(await node.stop()).toBe(0);
    return spawnNode(database, { redisUrl: redisUrl(), port });
  };

  /**
   * Steady chat between four visitors on A and the operator on B while `faults` happen one after the
   * other, then the ledger against the database and against what every client was handed.
   */
  async function chatThrough(label: string, faults: Fault[]): Promise<void> {
    const ledger = new Ledger();
    const host = widget.allowedOrigins[0] as string;
    // Visitors on A, the operator on B, each reconnecting through a balancer to either node.
    const both = () => [a, b];
    const visitors = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const session = await startVisitor(a, widget);
        const name = `visitor${i}`;
        const lb = balancer(both, 0);
        const client = new RealtimeClient({
          url: lb.url,
          protocols: async () => [
            WS_PROTOCOL,
            WS_TICKET_PREFIX + (await fetchTicket(lb.next(), session.credential)),
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
    const agentLb = balancer(both, 1);
    const agent = new RealtimeClient({
      url: agentLb.url,
      protocols: async () => {
        agentLb.next();
        return [WS_PROTOCOL];
      },
      createSocket: socketTo(null, { cookie: admin.cookie }),
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
    const recovery: Record<string, number | null> = {};
    try {
      await pause(1500);
      for (const fault of faults) {
        const at = Date.now();
        await fault.run();
        await pause(2500);
        recovery[fault.name] = ledger.recoveredAfter(at);
      }
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
      `${label}: ${ledger.acked.size} acked messages; time until every client had an ack again after each fault (ms):`,
      recovery,
    );
  }

  it('loses, duplicates, reorders and hides nothing through a kill, a Redis restart and lost backends', async () => {
    await chatThrough('chaos', [
      {
        name: 'node A killed and started again',
        run: async () => {
          a = await restart(a, 'kill');
        },
      },
      {
        name: 'Redis away for 2 s',
        run: async () => {
          redis.cut();
          await pause(2000);
          redis.restore();
        },
      },
      {
        name: 'every backend terminated',
        run: async () => void expect(await terminateBackendsOf(database.name)).toBeGreaterThan(0),
      },
    ]);
  }, 150_000);

  it('loses and duplicates nothing through a rolling restart (SIGTERM, one node after the other)', async () => {
    await chatThrough('rolling restart', [
      {
        name: 'node A drained and started again',
        run: async () => {
          a = await restart(a, 'stop');
        },
      },
      {
        name: 'node B drained and started again',
        run: async () => {
          b = await restart(b, 'stop');
        },
      },
    ]);
  }, 150_000);
});
