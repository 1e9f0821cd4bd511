import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import type { MessageStream } from '../conversations/message-stream.js';
import type { Vault } from '../encryption/vault.js';
import { isIndexedAuthor, messageWords } from './index-policy.js';
import { insertMessageTerms } from './search-index.repository.js';
import { termHasherFor } from './term-hasher.js';

/**
 * Indexes one message (body in plaintext, in memory only): a keyed hash per distinct word, inside
 * the caller's transaction. Idempotent: an indexed word is not stored twice.
 */
export async function indexMessage(db: Executor, vault: Vault, message: MessagesTable): Promise<number> {
  if (!isIndexedAuthor(message.author_kind)) return 0;
  const words = messageWords(message.body);
  if (words.length === 0) return 0;
  const hasher = await termHasherFor(db, vault, message.workspace_id);
  await insertMessageTerms(
    db,
    words.map((w) => ({
      message_id: message.id,
      term_hash: hasher.word(w.word),
      workspace_id: message.workspace_id,
      conversation_id: message.conversation_id,
      personal: w.personal ? 1 : 0,
    })),
  );
  return words.length;
}

/**
 * Search indexing is a subscriber of the message stream that commits with the message: a message is
 * findable as soon as it is acked, and a message that is not stored leaves no terms behind.
 */
export function registerSearchIndexing(stream: MessageStream, deps: { vault: Vault }): void {
  stream.onStore((trx, { message }) => indexMessage(trx, deps.vault, message).then(() => undefined));
}
