import type { Db } from '../../platform/db/schema.js';
import { findConversationById, listMessagesAfter } from '../conversations/lookups.js';
import { presentMessage } from '../conversations/presenters.js';
import { openMessageRows } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import type { ReadMessages } from '../realtime/subscription.js';
import { type Viewer, viewMessage } from './views.js';

/** A socket's replay reader: a page of messages from the database, opened, then masked for the viewer. */
export function readMessagesFor(
  deps: { db: Db; vault: Vault },
  conversationId: string,
  viewer: Viewer,
): ReadMessages {
  const read: ReadMessages = async ({ afterSeq, beforeSeq, limit }) => {
    const rows = await listMessagesAfter(deps.db, {
      conversationId,
      afterSeq,
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      limit,
    });
    const opened = await openMessageRows(deps.vault, deps.db, conversationId, rows);
    return opened.map((row) => viewMessage(presentMessage(row), viewer));
  };
  read.lastSeq = async () => (await findConversationById(deps.db, conversationId))?.last_seq ?? 0;
  return read;
}
