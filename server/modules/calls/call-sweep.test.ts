import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import { CALL_LIMITS } from '../../../protocol/calls.js';
import { ask, connectCall, enableCalls, endedFrame } from '../../../test/support/calls.js';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  type Probe,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS, hasRedis, REDIS_URL } from '../../../test/support/services.js';
import { type SpawnedNode, spawnNode } from '../../../test/support/spawned-node.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { createCallSweepJob } from './create-call-sweep-job.js';
import { SEAT_STALE_MS } from './sweep-calls.js';

const realNow = clock.now;
/** Moves this process's clock (the nodes in it, and the sweep's) `ms` ahead of the real one. */
const warp = (ms: number) => {
  clock.now = () => realNow() + ms;
};
/**
 * One sweep on the server's data, on this process's clock. The node's own sweep may hold the lease
 * for a moment (it ticks too): this one runs as soon as it gets it.
 */
const sweepOn = (server: TestServer) => {
  const job = createCallSweepJob(server.app.realtimeHub.callDeps, {
    now: () => new Date(clock.now()),
    node: 'test',
  });
  return () => expect.poll(() => job.tick()).toBe('ran');
};

async function callRows(db: Db) {
  return db.selectFrom('calls').select(['id', 'state', 'end_reason', 'accepted_at', 'ended_at']).execute();
}

async function callHistory(db: Db, conversationId: string) {
  const transcript = (
    await db
      .selectFrom('messages')
      .select('client_id')
      .where('conversation_id', '=', conversationId)
      .where('client_id', 'like', 'call_%')
      .orderBy('seq')
      .execute()
  ).map((m) => m.client_id.split('_')[2]);
  const audit = (
    await db
      .selectFrom('audit_events')
      .select(['action', 'actor_type'])
      .where('action', 'like', 'call.%')
      .orderBy('seq')
      .execute()
  ).map((e) => `${e.action} by ${e.actor_type}`);
  return { transcript, audit };
}

describe.each(DIALECTS)('the call sweep: a ringing call is missed after its time (%s)', (dialect) => {
  let s: Scenario;
  let agent: Probe;
  let visitor: Probe;

  beforeEach(async () => {
    s = await startScenario(dialect);
    await enableCalls(s.server, s.admin, s.widget.id);
    agent = await connectAgent(s.server, s.admin);
    visitor = await connectVisitor(s.server, s.visitor.credential);
    visitor.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 });
    await visitor.next('subscribed');
  });
  afterEach(async () => {
    clock.now = realNow;
    agent.close();
    visitor.close();
    await s.close();
  });

  it('ends an offer nobody answered once its ring time passed, once, and tells both sides', async () => {
    // The node that made the offer keeps no timer that could fire here: the sweep alone must end it.
    s.server.app.realtimeHub.ringMs = 24 * 3_600_000;
    const created = await ask(agent, {
      type: 'call.offer',
      conversationId: s.visitor.conversationId,
      media: 'audio',
    });
    if (created.type !== 'call.created') throw new Error(JSON.stringify(created));
    await visitor.until((p) => p.of('call.offered').length === 1, 'ringing');
    const sweep = sweepOn(s.server);

    // Still within its time: the sweep leaves it ringing.
    await sweep();
    expect((await callRows(s.server.db.db)).map((c) => c.state)).toEqual(['ringing']);

    warp((CALL_LIMITS.ringSeconds + 1) * 1000);
    await sweep();
    await visitor.until((p) => endedFrame(p, created.callId) !== undefined, 'the visitor told');
    await agent.until((p) => endedFrame(p, created.callId) !== undefined, 'the agent told');
    expect(endedFrame(visitor, created.callId)?.reason).toBe('missed');
    expect(endedFrame(agent, created.callId)?.reason).toBe('missed');
    expect(await callRows(s.server.db.db)).toMatchObject([{ state: 'ended', end_reason: 'missed' }]);

    // Again: nothing left to end, nothing written twice.
    await sweep();
    await expect
      .poll(() => callHistory(s.server.db.db, s.visitor.conversationId))
      .toEqual({
        transcript: ['offered', 'missed'],
        audit: ['call.offered by user', 'call.ended by system'],
      });
    // The conversation is free for the next call at once.
    const next = await ask(agent, {
      type: 'call.offer',
      conversationId: s.visitor.conversationId,
      media: 'audio',
    });
    expect(next.type).toBe('call.created');
  });
});

/**
 * A node is killed (SIGKILL: no drain, no socket close) in the middle of a call. On PostgreSQL + Redis
 * the agent sits on the killed node and the visitor on a live one, who is told the call was lost; on
 * SQLite (one node) the node comes back and its sweep ends the call. A call whose seats a live node
 * keeps renewing is never taken for lost.
 */
describe.each(DIALECTS)('the call sweep: a call on a killed node is lost (%s)', (dialect) => {
  const shared = dialect === 'postgres';
  let database: TestDatabase;
  let admin: TestAgent;
  let widget: Widget;
  const nodes: SpawnedNode[] = [];
  const servers: TestServer[] = [];
  const probes: Probe[] = [];

  const start = async () => {
    const server = await startTestServer({ database, redis: shared, migrate: servers.length === 0 });
    servers.push(server);
    return server;
  };
  const spawn = async () => {
    const node = await spawnNode(database, shared ? { redisUrl: REDIS_URL } : {});
    nodes.push(node);
    return node;
  };
  const track = <P extends Probe>(p: P) => {
    probes.push(p);
    return p;
  };

  beforeEach(async () => {
    if (shared && !hasRedis) return;
    database = await createTestDatabase(dialect);
    const setup = await start();
    admin = await setupAdmin(setup);
    widget = await createWidget(setup, admin);
    await enableCalls(setup, admin, widget.id);
  });
  afterEach(async () => {
    clock.now = realNow;
    for (const p of probes.splice(0)) p.close();
    for (const n of nodes.splice(0)) await n.kill();
    for (const server of servers.splice(0)) await server.close();
    await database?.drop();
  });

  it.skipIf(shared && !hasRedis)(
    'ends the call as lost, with the talk time up to the last renewal, and keeps calls whose seats are renewed',
    async () => {
      // SQLite serves from one node: the setup node gives the database to the one that is killed.
      if (!shared) await servers.splice(0).at(0)?.close();
      const doomed = await spawn();
      const visitorSession = await startVisitor(doomed, widget);
      const lostConversation = visitorSession.conversationId;
      const visitorNode: TestServer | SpawnedNode = shared ? (servers[0] as TestServer) : doomed;
      const visitor = track(await connectVisitor(visitorNode, visitorSession.credential));
      visitor.send({ type: 'subscribe', conversationId: lostConversation, afterSeq: 0 });
      await visitor.next('subscribed');
      const agentOnDoomed = track(await connectAgent(doomed, admin));
      const lostCall = await connectCall(agentOnDoomed, visitor, lostConversation, 'audio');

      await doomed.kill();
      const live = shared ? (servers[0] as TestServer) : await start();
      const db = live.db.db;
      const sweep = sweepOn(live);
      // Right after the crash the seats are still fresh: the call stays, as it would for a node that
      // is merely slow.
      await sweep();
      expect((await callRows(db)).find((c) => c.id === lostCall)?.state).toBe('active');

      // A call on the live node, both seats held there.
      const other = await startVisitor(live, widget);
      const otherVisitor = track(await connectVisitor(live, other.credential));
      otherVisitor.send({ type: 'subscribe', conversationId: other.conversationId, afterSeq: 0 });
      await otherVisitor.next('subscribed');
      const agentOnLive = track(await connectAgent(live, admin));
      const keptCall = await connectCall(agentOnLive, otherVisitor, other.conversationId, 'audio');

      // Past the seats' time: the live node renewed its own, the killed one could not.
      warp(SEAT_STALE_MS + 1_000);
      await live.app.realtimeHub.renewSeats();
      await sweep();
      await expect
        .poll(async () => (await callRows(db)).find((c) => c.id === lostCall))
        .toMatchObject({ state: 'ended', end_reason: 'lost' });
      const rows = await callRows(db);
      expect(rows.find((c) => c.id === keptCall)?.state).toBe('active');
      expect(endedFrame(agentOnLive, keptCall)).toBeUndefined();
      expect(endedFrame(otherVisitor, keptCall)).toBeUndefined();
      // Ended when its seats were last renewed, not when the sweep noticed.
      const lost = rows.find((c) => c.id === lostCall);
      expect(Date.parse(lost?.ended_at as string)).toBeLessThan(clock.now() - SEAT_STALE_MS);
      expect(Date.parse(lost?.ended_at as string)).toBeGreaterThanOrEqual(
        Date.parse(lost?.accepted_at as string),
      );
      if (shared) {
        // The visitor on the live node hears it, as from a hang-up.
        await visitor.until(
          (p) => endedFrame(p, lostCall) !== undefined,
          'the visitor told the call was lost',
        );
        expect(endedFrame(visitor, lostCall)?.reason).toBe('lost');
      }
      await expect
        .poll(async () => (await callHistory(db, lostConversation)).transcript)
        .toEqual(['offered', 'accepted', 'ended']);
      const audit = await db
        .selectFrom('audit_events')
        .select(['actor_type', 'details'])
        .where('action', '=', 'call.ended')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]?.actor_type).toBe('system');
      expect(JSON.parse(audit[0]?.details as string)).toMatchObject({ reason: 'lost' });

      // Nothing changes on a second sweep; the lost call's conversation takes a new call.
      await sweep();
      expect((await callRows(db)).filter((c) => c.state !== 'ended').map((c) => c.id)).toEqual([keptCall]);
      const again = await ask(agentOnLive, {
        type: 'call.offer',
        conversationId: lostConversation,
        media: 'audio',
      });
      expect(again.type).toBe('call.created');
    },
  );
});
