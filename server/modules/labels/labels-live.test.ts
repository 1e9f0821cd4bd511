import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  login,
  type Probe,
  type Reachable,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS, hasPostgres, hasRedis } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

const labelsOf = (p: Probe, conversationId: string) =>
  p
    .of('conversation.labels')
    .filter((f) => f.conversationId === conversationId)
    .map((f) => f.labelIds as string[]);

async function inbox(server: Reachable, agent: TestAgent): Promise<Probe> {
  const p = await connectAgent(server, agent);
  p.send({ type: 'inbox.subscribe' });
  await p.next('inbox.subscribed');
  return p;
}

async function createLabel(server: Reachable, admin: TestAgent, name: string): Promise<string> {
  const res = await http(server, 'POST', `/api/v1/workspaces/${admin.workspaceId}/labels`, {
    cookie: admin.cookie,
    body: { name, colour: '#336699' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

function setLabel(server: Reachable, who: TestAgent, conversationId: string, labelId: string, on: boolean) {
  return http(
    server,
    on ? 'PUT' : 'DELETE',
    `/api/v1/workspaces/${who.workspaceId}/conversations/${conversationId}/labels/${labelId}`,
    { cookie: who.cookie, body: {} },
  );
}

/**
 * Labels reach the other agents live: `conversation.labels` goes to every inbox socket whose scope
 * reaches the conversation (never to an operator it is not assigned or queued to, never to the
 * visitor), on both dialects; and across two nodes on PostgreSQL + Redis.
 */
describe.each(DIALECTS)('labels live to other agents (%s)', (dialect) => {
  let s: Scenario;
  let ana: TestAgent;
  let ben: TestAgent;
  let supervisor: TestAgent;

  beforeAll(async () => {
    s = await startScenario(dialect);
    ana = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com');
    ben = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ben@example.com');
    supervisor = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sue@example.com');
  });
  afterAll(async () => s?.close());

  it('a label added or removed by one agent reaches the others who see the conversation, at once', async () => {
    const id = s.visitor.conversationId;
    const visitor = await connectVisitor(s.server, s.visitor.credential);
    visitor.send({ type: 'subscribe', conversationId: id, afterSeq: 0 });
    await visitor.next('subscribed');
    visitor.sendMessage(id, 'I need a refund');
    await visitor.next('message.ack');
    // Ana takes the conversation: it is hers; Ben's scope no longer reaches it.
    const base = `/api/v1/workspaces/${s.admin.workspaceId}`;
    let queryId = '';
    await expect
      .poll(async () => {
        const c = (await http(s.server, 'GET', `${base}/conversations/${id}`, { cookie: s.admin.cookie }))
          .body;
        queryId = c.query?.state === 'queued' ? c.query.id : '';
        return queryId;
      })
      .not.toBe('');
    const picked = await http(s.server, 'POST', `${base}/queries/${queryId}/pick`, {
      cookie: ana.cookie,
      body: {},
    });
    expect(picked.status).toBe(200);
    const billing = await createLabel(s.server, s.admin, 'Billing');
    const urgent = await createLabel(s.server, s.admin, 'Urgent');

    const [anaSocket, benSocket, supSocket] = await Promise.all([
      inbox(s.server, ana),
      inbox(s.server, ben),
      inbox(s.server, supervisor),
    ]);
    // The administrator labels: Ana (assigned) and the supervisor (sees all) hear it.
    expect((await setLabel(s.server, s.admin, id, billing, true)).status).toBe(204);
    for (const p of [anaSocket, supSocket])
      await p.until((x) => labelsOf(x, id).some((l) => l.includes(billing)), 'label added');
    // Ana adds another, then takes the first off: each frame is the whole set.
    expect((await setLabel(s.server, ana, id, urgent, true)).status).toBe(204);
    expect((await setLabel(s.server, ana, id, billing, false)).status).toBe(204);
    for (const p of [anaSocket, supSocket])
      await p.until(
        (x) => JSON.stringify(labelsOf(x, id).at(-1)) === JSON.stringify([urgent]),
        'label removed',
      );
    expect(labelsOf(supSocket, id)).toEqual([[billing], [billing, urgent], [urgent]]);
    expect(supSocket.of('conversation.labels')[0]).toEqual({
      type: 'conversation.labels',
      conversationId: id,
      labelIds: [billing],
    });

    // Ben's scope does not reach Ana's conversation; the visitor never hears of labels. A frame
    // sent after the label frames, on the same sockets, proves they had their chance to arrive.
    for (const p of [benSocket, visitor]) {
      p.send({ type: 'ping', rid: 'after' });
      await p.until((x) => x.of('pong').some((f) => f.rid === 'after'), 'pong');
    }
    expect(benSocket.of('conversation.labels')).toEqual([]);
    expect(visitor.of('conversation.labels')).toEqual([]);

    // The workspace's labels themselves (renamed, deleted): every inbox reads them again, Ben's too
    // (the list is every member's to read); the visitor hears nothing.
    const renamed = await http(s.server, 'PUT', `${base}/labels/${urgent}`, {
      cookie: s.admin.cookie,
      body: { name: 'Very urgent', colour: '#ff0000' },
    });
    expect(renamed.status).toBe(200);
    const removed = await http(s.server, 'DELETE', `${base}/labels/${billing}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(removed.status).toBe(204);
    for (const p of [anaSocket, benSocket, supSocket])
      await p.until((x) => x.of('labels.changed').length >= 2, 'labels.changed');
    expect(anaSocket.of('labels.changed')[0]).toEqual({ type: 'labels.changed' });
    visitor.send({ type: 'ping', rid: 'last' });
    await visitor.until((x) => x.of('pong').some((f) => f.rid === 'last'), 'pong');
    expect(visitor.of('labels.changed')).toEqual([]);
    for (const p of [anaSocket, benSocket, supSocket, visitor]) p.close();
  });
});

describe.skipIf(!hasPostgres || !hasRedis)('labels live across two nodes (PostgreSQL + Redis)', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    a = await startTestServer({ database, redis: true });
    b = await startTestServer({ database, redis: true, migrate: false });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('a label set on node A reaches an agent on node B', async () => {
    const admin = await setupAdmin(a);
    const widget = await createWidget(a, admin);
    const visitor = await startVisitor(a, widget);
    await addAgent(a, admin.workspaceId, 'supervisor', 'sue@example.com');
    const sueOnB = await login(b, 'sue@example.com');
    const label = await createLabel(a, admin, 'Billing');
    const onB = await inbox(b, sueOnB);
    expect((await setLabel(a, admin, visitor.conversationId, label, true)).status).toBe(204);
    await onB.until((x) => labelsOf(x, visitor.conversationId).some((l) => l.includes(label)), 'label on B');
    expect((await setLabel(a, admin, visitor.conversationId, label, false)).status).toBe(204);
    await onB.until(
      (x) => JSON.stringify(labelsOf(x, visitor.conversationId).at(-1)) === '[]',
      'label taken off on B',
    );
    onB.close();
  });
});
