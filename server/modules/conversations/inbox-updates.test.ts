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
 * is heard with its summary as the last of them left it.
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

  it('tells the inbox of every conversation written in one turn, each with its last message', async () => {
    const visitors = [
      s.visitor,
      await startVisitor(s.server, s.widget),
      await startVisitor(s.server, s.widget),
    ];
    const ids = visitors.map((v) => v.conversationId);
    // An agent writes: the bot answers visitors, and its answers and handoffs would be heard too.
    const agent: Author = { kind: 'agent', id: s.admin.me.user.id, name: 'Ada Admin' };
    const deps = messageDeps(s.server.app);
    const heardBefore = inbox.of('conversation.updated').length;
    // All in one turn of the event loop: one commit group, announced together.
    const sends = ids.flatMap((conversationId, i) =>
      [1, 2].map((n) =>
        postMessage(deps, {
          conversationId,
          author: agent,
          clientId: `batch-${i}-${n}`,
          body: `conversation ${i}, message ${n}`,
        }),
      ),
    );
    // Sent side by side, a conversation's two messages may take their seqs in either order: the
    // last is the one with the higher seq.
    const results = await Promise.all(sends);
    const last = new Map<string, { seq: number; body: string }>();
    for (const { message } of results) {
      const seen = last.get(message.conversation_id);
      if (!seen || message.seq > seen.seq) last.set(message.conversation_id, message);
    }
    // The summary as the turn's last message left it.
    const heardAfterLast = (id: string) =>
      inbox
        .of('conversation.updated')
        .some(
          (f) =>
            f.conversation.id === id &&
            f.conversation.lastSeq === last.get(id)?.seq &&
            f.conversation.lastMessagePreview === last.get(id)?.body,
        );
    await inbox.until(() => ids.every(heardAfterLast), 'each conversation with its last message');
    const heard = inbox.of('conversation.updated').slice(heardBefore);
    expect(new Set(heard.map((f) => f.conversation.id))).toEqual(new Set(ids));
  });
});
