/** What other modules may read of labels (this module owns labels and conversation_labels). */
export { findLabel, listLabelledConversationIds, listLabels } from './label.repository.js';
