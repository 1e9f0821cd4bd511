import type { MessagesTable } from '../../platform/db/schema.js';
import { openMessageBody } from '../encryption/message-cipher.js';
import { VisitorKey } from '../encryption/visitor-key.js';
import { isIndexedAuthor } from './index-policy.js';
import { TermHasher, termDocument } from './term-hasher.js';

/** A batch of one workspace's waiting messages, as the indexer hands it to the worker. */
export interface PrepareRequest {
  /** The workspace's search key (Vault.searchKey). */
  searchKey: Uint8Array;
  messages: Array<{
    message: Pick<MessagesTable, 'id' | 'author_kind' | 'body'>;
    /** The visitor's data key; null when the visitor was erased (nothing of theirs is indexed). */
    key: { visitorId: string; bytes: Uint8Array } | null;
  }>;
}

/**
 * What one message puts in the index: its terms as one document, space-separated tokens
 * (fts-token.ts), the same on both dialects (an FTS5 document on SQLite, an array on PostgreSQL); empty
 * for a message not indexed. One string crosses to the event loop, not an array per term.
 */
export interface PreparedMessage {
  id: string;
  document: string;
}

/**
 * Opens each message and takes its terms (index-policy.ts), hashed under the workspace's search key:
 * all of a message's indexing that is not SQL. It runs on the indexer's worker thread
 * (index-worker.ts); the result is the same wherever it runs.
 */
export function prepareIndex(req: PrepareRequest): PreparedMessage[] {
  const hasher = new TermHasher(
    Buffer.from(req.searchKey.buffer, req.searchKey.byteOffset, req.searchKey.byteLength),
  );
  return req.messages.map(({ message, key }) => {
    if (!key || !isIndexedAuthor(message.author_kind)) return { id: message.id, document: '' };
    const visitorKey = new VisitorKey(key.visitorId, '', Buffer.from(key.bytes));
    return {
      id: message.id,
      document: termDocument(hasher, openMessageBody(visitorKey, message)),
    };
  });
}
