import type { ActionRef } from '../../../protocol/structured.js';
import type { ExternalBotConfig } from '../../config-external-bot.js';
import type { MessagesTable } from '../../platform/db/schema.js';
import { findConversationById } from '../conversations/lookups.js';
import type { ConversationAfterSend } from '../conversations/message-stream.js';
import type { MessageDeps } from '../conversations/post-message.js';
import { findWidgetById } from '../widgets/lookups.js';
import { takeAfterHoursEmail } from './after-hours-email.js';
import { answerQuestion } from './answer-question.js';
import type { BotTurn } from './bot-context.js';
import { findFlow, findFlows, findRun, visitorWroteBefore } from './flow.repository.js';
import { flowIdOf } from './flow-actions.js';
import { advanceFlow, startFlow } from './run-flow.js';

/**
 * Who answers a visitor's message, in order: a flow waiting for this answer; a flow this message
 * starts (a quick reply, or the first message of the conversation); the widget's external bot; the
 * knowledge-base bot. After a handoff only the after-hours email offer still listens.
 */
export async function takeBotTurn(
  options: MessageDeps & {
    externalBot: ExternalBotConfig;
    message: MessagesTable;
    /** The conversation as the send committed it; read again when absent. */
    conversation?: ConversationAfterSend | undefined;
  },
): Promise<void> {
  const { db, message } = options;
  if (message.author_kind !== 'visitor') return;
  const conversation = options.conversation ?? (await findConversationById(db, message.conversation_id));
  if (conversation?.status !== 'open') return;
  const run = await findRun(db, conversation.id);
  // After a handoff people answer: only a pending after-hours email offer still needs the bot.
  if (conversation.handoff_state !== 'bot' && run?.awaiting !== 'after_hours_email') return;
  const widget = await findWidgetById(db, conversation.widget_id);
  if (!widget) return;
  const turn: BotTurn = { ...options, conversation, widget };
  if (conversation.handoff_state !== 'bot') return takeAfterHoursEmail(turn);
  if (run?.awaiting === 'flow') return advanceFlow(turn, run);

  const ref = message.action_ref ? (JSON.parse(message.action_ref) as ActionRef) : null;
  const pickedId = ref ? flowIdOf(ref.id) : null;
  if (pickedId) {
    const flow = await findFlow(db, conversation.workspace_id, pickedId);
    if (flow && flow.widget_id === widget.id && flow.trigger === 'quick_reply') return startFlow(turn, flow);
  }
  if (!run && !ref && !(await visitorWroteBefore(db, conversation.id, message.seq))) {
    const first = (await findFlows(db, conversation.workspace_id, widget.id)).find(
      (f) => f.trigger === 'first_message',
    );
    if (first) return startFlow(turn, first);
  }
  await answerQuestion(turn);
}
