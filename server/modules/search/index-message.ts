import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import type { MessageTermRow } from '../../platform/db/schema-labels-search.js';
import type { MessageStream } from '../conversations/message-stream.js';
import type { Vault } from '../encryption/vault.js';
import { isIndexedAuthor } from './index-policy.js';
import { insertMessageTerms } from './search-index.repository.js';
import { hashedTerms, type TermHasher, termHasherFor } from './term-hasher.js';

/**
 * The index rows of one message (body in plaintext, in memory only): a keyed hash per distinct word
 * and word beginning (index-policy.ts).
 */
export function messageTerms(hasher: TermHasher, message: MessagesTable): MessageTermRow[] {
  if (!isIndexedAuthor(message.author_kind)) return [];
  return termRows(message, hashedTerms(hasher, message.body));
}

/** A message's index rows from its terms' keyed hashes, each with whether it is personal. */
export function termRows(
  message: Pick<MessagesTable, 'id' | 'workspace_id' | 'conversation_id'>,
  terms: ReadonlyArray<readonly [hash: string, personal: boolean]>,
): MessageTermRow[] {
  return terms.map(([hash, personal]) => ({
    message_id: message.id,
    term_hash: hash,
    workspace_id: message.workspace_id,
    conversation_id: message.conversation_id,
    personal: personal ? 1 : 0,
  }));
}

/**
 * Indexes one message inside the caller's transaction. Idempotent: an indexed term is not stored
 * twice, so a reindex adds only what a newer policy produces (words' beginnings, say).
 */
export async function indexMessage(db: Executor, vault: Vault, message: MessagesTable): Promise<number> {
  if (!isIndexedAuthor(message.author_kind)) return 0;
  const rows = messageTerms(await termHasherFor(db, vault, message.workspace_id), message);
  await insertMessageTerms(db, rows);
  return rows.length;
}

/**
 * Search indexing is a subscriber of the message stream. In the message's transaction the message
 * goes on the backlog by a trigger on `messages` (migration 2026-12-11-0101-search-backlog-trigger,
 * the condition is `isIndexedAuthor`): a message that is not stored is never indexed, and one that is
 * stored is indexed even if this node dies now, at no statement of the send's own. After the commit
 * the indexer is nudged and indexes the backlog in batches (search-indexer.ts). A search first takes
 * what is still waiting, so an acked message is findable at once.
 */
export function registerSearchIndexing(stream: MessageStream, indexer: { nudge(): void }): void {
  stream.onCreated(async ({ message }) => {
    if (isIndexedAuthor(message.author_kind)) indexer.nudge();
  });
}
