import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import type { MessageStream } from '../conversations/message-stream.js';
import type { Vault } from '../encryption/vault.js';
import { isIndexedAuthor, messageTerms } from './index-policy.js';
import { insertMessageTerms } from './search-index.repository.js';
import { termHasherFor } from './term-hasher.js';

/**
 * Indexes one message (body in plaintext, in memory only): a keyed hash per distinct word and word
 * beginning (index-policy.ts), inside the caller's transaction. Idempotent: an indexed term is not
 * stored twice, so a reindex adds only what a newer policy produces.
 */
export async function indexMessage(db: Executor, vault: Vault, message: MessagesTable): Promise<number> {
  if (!isIndexedAuthor(message.author_kind)) return 0;
  const terms = messageTerms(message.body);
  if (terms.length === 0) return 0;
  const hasher = await termHasherFor(db, vault, message.workspace_id);
  await insertMessageTerms(
    db,
    terms.map((t) => ({
      message_id: message.id,
      term_hash: t.kind === 'word' ? hasher.word(t.term) : hasher.prefix(t.term),
      workspace_id: message.workspace_id,
      conversation_id: message.conversation_id,
      personal: t.personal ? 1 : 0,
    })),
  );
  return terms.length;
}

/**
 * Search indexing is a subscriber of the message stream that commits with the message: a message is
 * findable as soon as it is acked, and a message that is not stored leaves no terms behind.
 */
export function registerSearchIndexing(stream: MessageStream, deps: { vault: Vault }): void {
  stream.onStore((trx, { message }) => indexMessage(trx, deps.vault, message).then(() => undefined));
}
