import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId } from '../../../protocol/realtime-client.js';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  type Probe,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { RATE_LIMIT_NAMES } from '../../platform/http/rate-limits.js';

/**
 * One agent session opening many sockets does not get many budgets: its messages share one budget on
 * the node, a refused message is answered `rate_limited` with its client id and not stored, and the
 * same message sent again later with the same id is stored once. Other principals are unaffected.
 */
describe.each(DIALECTS)('message budget per principal (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let conversationId: string;
  let visitorCredential: string;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const limits = RATE_LIMIT_NAMES.map((n) => (n === 'messages' ? 'messages=10/1' : `${n}=1000000/60`));
    server = await startTestServer({ database, env: { PARLEY_RATE_LIMITS: limits.join(',') } });
    admin = await setupAdmin(server);
    const visitor = await startVisitor(server, await createWidget(server, admin));
    conversationId = visitor.conversationId;
    visitorCredential = visitor.credential;
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const stored = async () =>
    (
      await http(
        server,
        'GET',
        `/api/v1/workspaces/${admin.workspaceId}/conversations/${conversationId}/messages?limit=200`,
        { cookie: admin.cookie },
      )
    ).body.items as Array<{ clientId: string }>;

  it('shares one budget among all sockets of a session, and takes a refused message again later', async () => {
    const sockets: Probe[] = [];
    for (let i = 0; i < 5; i += 1) sockets.push(await connectAgent(server, admin));
    // 40 messages at once, 8 per socket: each socket is well within its own frame budget.
    const sent = new Map<string, Probe>();
    for (const socket of sockets)
      for (let i = 0; i < 8; i += 1)
        sent.set(socket.sendMessage(conversationId, `reply ${sent.size}`), socket);
    const answered = (id: string, socket: Probe) =>
      socket.of('message.ack').some((a) => a.clientId === id) ||
      socket.of('error').some((e) => e.clientId === id);
    for (const [id, socket] of sent) await socket.until(() => answered(id, socket), `an answer to ${id}`);

    const acked = [...sent]
      .filter(([id, s]) => s.of('message.ack').some((a) => a.clientId === id))
      .map(([id]) => id);
    const refused = [...sent].filter(([id]) => !acked.includes(id));
    expect(refused.length).toBeGreaterThan(0);
    for (const [id, socket] of refused) {
      const error = socket.of('error').find((e) => e.clientId === id);
      expect(error).toMatchObject({ code: 'rate_limited', conversationId });
    }
    const ids = (await stored()).map((m) => m.clientId);
    for (const id of acked) expect(ids).toContain(id);
    for (const [id] of refused) expect(ids).not.toContain(id);

    // Another principal has a budget of its own.
    const visitor = await connectVisitor(server, visitorCredential);
    const own = visitor.sendMessage(conversationId, 'Still there?');
    expect((await visitor.next('message.ack')).clientId).toBe(own);

    // Sent again later with the same client id, as the client does, every refused message is stored once.
    for (const [id, socket] of refused) {
      const body = `reply ${[...sent.keys()].indexOf(id)}`;
      for (;;) {
        const before = socket.of('error').filter((e) => e.clientId === id).length;
        socket.sendMessage(conversationId, body, id);
        await socket.until(
          (p) =>
            p.of('message.ack').some((a) => a.clientId === id) ||
            p.of('error').filter((e) => e.clientId === id).length > before,
          `the resend of ${id}`,
        );
        if (socket.of('message.ack').some((a) => a.clientId === id)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const all = (await stored()).map((m) => m.clientId);
    for (const id of sent.keys()) expect(all.filter((c) => c === id)).toHaveLength(1);
    for (const s of [...sockets, visitor]) s.close();
  }, 60_000);

  it('refuses with rate_limited and a client id the reference client retries', async () => {
    const socket = await connectAgent(server, admin);
    const ids = Array.from({ length: 30 }, () => newClientId());
    for (const id of ids) socket.sendMessage(conversationId, 'again', id);
    await socket.until((p) => p.of('error').some((e) => e.code === 'rate_limited'), 'a refusal');
    const error = socket.of('error').find((e) => e.code === 'rate_limited');
    expect(ids).toContain(error?.clientId);
    expect(error?.details?.[0]).toMatch(/same clientId/);
    socket.close();
  });
});
