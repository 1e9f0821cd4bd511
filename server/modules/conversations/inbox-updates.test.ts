import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Author } from '../../../protocol/common.js';
import { connectAgent, type Probe, startVisitor } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { messageDeps } from './message-plugin.js';
import { postMessage } from './post-message.js';

/**
 * The inbox hears every conversation's new summary after its messages. Messages announced in one
 * turn of the event loop are read and published together (events.ts): each conversation among them
 * is heard once more, with its summary as the last of them left it.
 */
describe.each(DIALECTS)('inbox updates after messages (%s)', (dialect) => {
  let s: Scenario;
  let inbox: Probe;
  beforeAll(async () => {
    s = await startScenario(dialect);
    inbox = await connectAgent(s.server, s.admin);
    inbox.send({ type: 'inbox.subscribe' });
    await inbox.next('inbox.subscribed');
  });
  afterAll(async () => {
    inbox?.close();
    await s?.close();
  });

  const visitorAuthor = async (conversationId: string): Promise<Author> => {
    const row = await s.server.app.db
      .selectFrom('conversations')
      .select('visitor_id')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return { kind: 'visitor', id: row.visitor_id, name: 'Visitor' };
  };

  const lastPreviewHeard = (conversationId: string) =>
    inbox
      .of('conversation.updated')
      .filter((f) => f.conversation.id === conversationId)
      .at(-1)?.conversation.lastMessagePreview;

  it('tells the inbox of every conversation written in one turn, each with its last message', async () => {
    const visitors = [
      s.visitor,
      await startVisitor(s.server, s.widget),
      await startVisitor(s.server, s.widget),
    ];
    const ids = visitors.map((v) => v.conversationId);
    const authors = await Promise.all(ids.map(visitorAuthor));
    const deps = messageDeps(s.server.app);
    const heardBefore = inbox.of('conversation.updated').length;
    // All in one turn of the event loop: one commit group, announced together.
    const sends = ids.flatMap((conversationId, i) =>
      [1, 2].map((n) =>
        postMessage(deps, {
          conversationId,
          author: authors[i] as Author,
          clientId: `batch-${i}-${n}`,
          body: `visitor ${i}, message ${n}`,
        }),
      ),
    );
    await Promise.all(sends);
    await inbox.until(
      () => ids.every((id, i) => lastPreviewHeard(id) === `visitor ${i}, message 2`),
      'each conversation with its last message',
    );
    // Nothing more than one update per message; announced together, a conversation is heard once.
    const heard = inbox.of('conversation.updated').slice(heardBefore);
    expect(heard.length).toBeGreaterThanOrEqual(ids.length);
    expect(heard.length).toBeLessThanOrEqual(sends.length);
    expect(new Set(heard.map((f) => f.conversation.id))).toEqual(new Set(ids));
  });
});
