import type { MessagesTable } from '../../platform/db/schema.js';
import { openMessageBody } from '../encryption/message-cipher.js';
import { VisitorKey } from '../encryption/visitor-key.js';
import { ftsDocument } from './fts-token.js';
import { isIndexedAuthor } from './index-policy.js';
import { hashedTerms, TermHasher } from './term-hasher.js';

/**
 * The index's form on each dialect: on SQLite a message is one FTS5 document of its terms, on
 * PostgreSQL a row per term (search-index.repository.ts).
 */
export type IndexForm = 'document' | 'terms';

/** A batch of one workspace's waiting messages, as the indexer hands it to the worker. */
export interface PrepareRequest {
  form: IndexForm;
  /** The workspace's search key (Vault.searchKey). */
  searchKey: Uint8Array;
  messages: Array<{
    message: Pick<MessagesTable, 'id' | 'author_kind' | 'body'>;
    /** The visitor's data key; null when the visitor was erased (nothing of theirs is indexed). */
    key: { visitorId: string; bytes: Uint8Array } | null;
  }>;
}

/** What one message puts in the index, in the request's form; nothing for a message not indexed. */
export interface PreparedMessage {
  id: string;
  /** Form `terms`: each term's keyed hash (base64url) and whether it is personal. */
  terms: Array<[hash: string, personal: boolean]>;
  /** Form `document`: the terms as one FTS5 document, space-separated tokens (fts-token.ts). */
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
    const out: PreparedMessage = { id: message.id, terms: [], document: '' };
    if (!key || !isIndexedAuthor(message.author_kind)) return out;
    const visitorKey = new VisitorKey(key.visitorId, '', Buffer.from(key.bytes));
    const terms = hashedTerms(hasher, openMessageBody(visitorKey, message));
    if (req.form === 'terms') out.terms = terms;
    else out.document = ftsDocument(terms);
    return out;
  });
}
