/**
 * What retention (retention/) may do to conversations and messages: select and delete by age, clear
 * the texts beside the messages, lock an inactive conversation before it is archived. The conversations
 * module owns these tables; retention decides when, this module does it.
 */
export {
  clearConversationTexts,
  clearConversationTextsBefore,
  countOtherConversations,
  deleteMessagesById,
  findConversationWithRetention,
  listAllMessageRows,
  lockConversation,
  lockIfInactive,
  selectClosedWithContent,
  selectInactiveConversations,
  selectOldMessageIds,
} from './conversation-retention.repository.js';
