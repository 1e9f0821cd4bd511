/** What other modules may read of conversations and messages (this module owns both tables). */
export type { ConversationSummaryRow } from './conversation.repository.js';
export {
  findConversationById,
  findConversationSummaries,
  findConversationSummary,
  findLastSeqs,
  findOpenConversationOfVisitor,
  listConversationIdsOfVisitor,
  lockConversationsOfVisitor,
  scopeFactsOf,
} from './conversation.repository.js';
export { findLatestClosedConversation } from './lifecycle.repository.js';
export { findMessageByClientId, findMessageById, listMessagesAfter } from './message.repository.js';
export { findCursor } from './read-cursor.repository.js';
