import type { FastifyInstance } from 'fastify';
import { registerInboxUpdates } from './events.js';
import { MessageStream } from './message-stream.js';
import type { MessageDeps } from './post-message.js';
import { registerReadCursors } from './read-cursors.js';

/**
 * Creates this node's message stream (message-stream.ts) with the subscribers the conversations
 * module owns; other modules add theirs when they register. Owed turns start once the app is ready
 * and stop before it closes, so a stopping node hands its unfinished turns to the others.
 */
export function registerMessageStream(app: FastifyInstance, node: string): MessageStream {
  const stream = new MessageStream({ db: app.db, log: app.log, node });
  app.decorate('messageStream', stream);
  // Before the inbox update: an agent's devices learn their own message is read before its count could rise.
  registerReadCursors(stream, { pubsub: app.pubsub });
  registerInboxUpdates(stream, { db: app.db, vault: app.vault, pubsub: app.pubsub });
  app.addHook('onReady', async () => stream.turns.start());
  app.addHook('preClose', async () => stream.turns.stop());
  return stream;
}

/** What the message command needs, from the app's decorators. */
export function messageDeps(app: FastifyInstance): MessageDeps {
  return { db: app.db, vault: app.vault, pubsub: app.pubsub, stream: app.messageStream };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every stored message goes through it; modules subscribe at start. */
    messageStream: MessageStream;
  }
}
