import type { ActionRef, StructuredContent } from '../../../protocol/structured.js';
import type { WidgetBotSettingsTable } from '../../platform/db/schema-flows.js';
import { checkStructured } from '../conversations/structured-content.js';
import { type BotTurn, botReply, handOff } from './bot-context.js';
import { openWebhookSecret } from './bot-secret.js';
import { callExternalBot } from './call-external-bot.js';

/**
 * Lets the widget's own bot answer: the visitor's message goes to the webhook, its replies come
 * back into the conversation. A refused address, timeout, error or malformed answer hands the
 * conversation to a person, as does an answer asking for one.
 */
export async function delegateToExternalBot(turn: BotTurn, settings: WidgetBotSettingsTable): Promise<void> {
  const { conversation, message } = turn;
  if (!settings.external_bot_url || !settings.external_bot_secret)
    return void (await handOff(turn, 'external_bot'));
  const action = message.action_ref ? (JSON.parse(message.action_ref) as ActionRef) : null;
  const outcome = await callExternalBot({
    url: settings.external_bot_url,
    secret: openWebhookSecret(turn.vault.ring, turn.widget.id, settings.external_bot_secret),
    config: turn.externalBot,
    payload: {
      event: 'message.created',
      workspaceId: conversation.workspace_id,
      widgetId: conversation.widget_id,
      conversationId: conversation.id,
      visitorId: conversation.visitor_id,
      message: {
        id: message.id,
        seq: message.seq,
        body: message.body,
        action: action ? { seq: action.seq, id: action.id } : null,
        createdAt: message.created_at,
      },
    },
  });
  if (!outcome.ok) return void (await handOff(turn, 'external_bot'));
  let replies: { text: string; structured?: StructuredContent }[];
  try {
    replies = outcome.response.replies.map((r) => {
      const structured: StructuredContent = {
        ...(r.parts ? { parts: r.parts as StructuredContent['parts'] } : {}),
        ...(r.actions
          ? { actions: r.actions.map((a) => ({ id: a.id, kind: 'reply' as const, label: a.label })) }
          : {}),
      };
      return r.parts || r.actions
        ? { text: r.text, structured: checkStructured(structured) }
        : { text: r.text };
    });
  } catch {
    return void (await handOff(turn, 'external_bot'));
  }
  for (const [i, r] of replies.entries()) await botReply(turn, i, r.text, r.structured);
  if (outcome.response.handoff) await handOff(turn, 'external_bot');
}
