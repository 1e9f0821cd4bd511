import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, connectVisitor, http } from '../../../test/support/clients.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { DecryptionError } from '../../platform/crypto/envelope.js';
import { findMessageByClientId } from '../conversations/message.repository.js';

/**
 * What is on disk after a conversation: no message text, no visitor email, name or phone, no note —
 * read from the SQLite file's bytes and from PostgreSQL's rows — while every screen still shows them.
 */
describe.each(DIALECTS)('encryption at rest (%s)', (dialect) => {
  let s: Scenario;
  const secret = {
    visitorText: 'My parcel 7Q-HX-2291 never arrived, please call me',
    agentText: 'Sorry about that: parcel 7Q-HX-2291 ships again today',
    note: 'Customer seemed upset about courier Zebulon',
    email: 'wilhelmina.quartz@example.org',
    name: 'Wilhelmina Quartz',
    phone: '+44 7700 900461',
  };

  beforeAll(async () => {
    s = await startScenario(dialect);
  });
  afterAll(async () => s?.close());

  it('stores no message text or visitor data in the clear, and still shows all of it', async () => {
    const base = `/api/v1/workspaces/${s.admin.workspaceId}`;
    const profile = await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body: { name: secret.name, email: secret.email, phone: secret.phone, custom: { plan: 'gold' } },
    });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ email: secret.email, name: secret.name, phone: secret.phone });

    const visitor = await connectVisitor(s.server, s.visitor.credential);
    visitor.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 });
    await visitor.next('subscribed');
    visitor.sendMessage(s.visitor.conversationId, secret.visitorText);
    await visitor.next('message.ack');
    const agent = await connectAgent(s.server, s.admin);
    agent.sendMessage(s.visitor.conversationId, secret.agentText);
    await agent.next('message.ack');
    await visitor.until((p) => p.of('message.new').some((f) => f.message.body === secret.agentText), 'reply');
    const note = await http(s.server, 'POST', `${base}/conversations/${s.visitor.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: secret.note },
    });
    expect(note.status).toBe(201);
    visitor.close();
    agent.close();

    const messages = await http(
      s.server,
      'GET',
      `${base}/conversations/${s.visitor.conversationId}/messages`,
      {
        cookie: s.admin.cookie,
      },
    );
    expect(messages.body.items.map((m: { body: string }) => m.body)).toEqual([
      'Hi! How can we help?',
      secret.visitorText,
      secret.agentText,
    ]);
    const list = await http(s.server, 'GET', `${base}/conversations`, { cookie: s.admin.cookie });
    expect(list.body.items[0]).toMatchObject({
      visitor: { name: secret.name },
      lastMessagePreview: secret.agentText,
    });
    const found = await http(s.server, 'POST', `${base}/visitors/lookup`, {
      cookie: s.admin.cookie,
      body: { email: secret.email.toUpperCase() },
    });
    expect(found.body.items.map((v: { visitorId: string }) => v.visitorId)).toEqual([s.visitor.visitor.id]);

    const leaked = await rawOccurrences(s.database, [
      secret.visitorText,
      secret.agentText,
      '7Q-HX-2291',
      secret.note,
      'Zebulon',
      secret.email,
      'wilhelmina',
      secret.name,
      secret.phone,
      '7700 900461',
    ]);
    expect(leaked).toEqual([]);
    // The reader does see what is stored in the clear (the workspace name), so the check can fail.
    expect(await rawOccurrences(s.database, ['Acme Support'])).toEqual(['Acme Support']);
  });

  it('refuses a ciphertext moved to another row, with a clear error', async () => {
    const base = `/api/v1/workspaces/${s.admin.workspaceId}`;
    const db = s.server.db.db;
    const raw = await db
      .selectFrom('messages')
      .select(['id', 'seq', 'body'])
      .where('conversation_id', '=', s.visitor.conversationId)
      .orderBy('seq')
      .execute();
    expect(raw.length).toBeGreaterThanOrEqual(2);
    const [first, second] = raw as [(typeof raw)[0], (typeof raw)[0]];
    expect(first.body.startsWith('e1:')).toBe(true);
    // Same visitor, same data key: only the associated data (the row id) tells the rows apart.
    await sql`UPDATE messages SET body = ${first.body} WHERE id = ${second.id}`.execute(db);

    const moved = await findMessageByClientId(
      db,
      s.visitor.conversationId,
      (await clientIdOf(second.id)) ?? '',
    );
    const key = await s.server.app.vault.forConversation(db, s.visitor.conversationId);
    expect(() => key?.open('messages', 'body', second.id, moved?.body ?? '')).toThrow(DecryptionError);
    expect(() => key?.open('messages', 'body', second.id, moved?.body ?? '')).toThrow(
      `messages.body of row ${second.id} does not decrypt: it was altered, copied from another row, or encrypted under another key.`,
    );
    const res = await http(s.server, 'GET', `${base}/conversations/${s.visitor.conversationId}/messages`, {
      cookie: s.admin.cookie,
    });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('data_unreadable');
    await sql`UPDATE messages SET body = ${second.body} WHERE id = ${second.id}`.execute(db);
    const again = await http(s.server, 'GET', `${base}/conversations/${s.visitor.conversationId}/messages`, {
      cookie: s.admin.cookie,
    });
    expect(again.status).toBe(200);

    async function clientIdOf(id: string) {
      return (await db.selectFrom('messages').select('client_id').where('id', '=', id).executeTakeFirst())
        ?.client_id;
    }
  });
});
