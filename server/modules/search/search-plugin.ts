import type { FastifyInstance } from 'fastify';
import type { MessageStream } from '../conversations/message-stream.js';
import { registerSearchIndexing } from './index-message.js';
import { SearchIndexer } from './search-indexer.js';

/** Search's part of the app: the message stream feeds the backlog; the indexer runs while the app is up. */
export function registerSearch(app: FastifyInstance, stream: MessageStream): SearchIndexer {
  const indexer = new SearchIndexer({ db: app.db, vault: app.vault, log: app.log });
  registerSearchIndexing(stream, indexer);
  app.addHook('onReady', async () => indexer.start());
  app.addHook('preClose', async () => indexer.stop());
  return indexer;
}
