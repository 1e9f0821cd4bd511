import { LIMITS } from '../../../protocol/limits.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, WidgetsTable } from '../../platform/db/schema.js';
import type { QueryTrigger } from '../../platform/db/schema-service.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { findConversationById, markHandoffRequested } from '../conversations/conversation.repository.js';
import { publishConversationUpdated, publishMessage } from '../conversations/events.js';
import { sendMessage } from '../conversations/send-message.js';
import type { Vault } from '../encryption/vault.js';
import { handoffNotice } from '../flows/after-hours.js';
import { openQuery } from '../service/open-query.js';
import { routeQueue } from '../service/publish-query.js';
import { presenceTtlMs } from '../service/service-defaults.js';
import { findWidgetById } from '../widgets/widget.repository.js';

export type HandoffTrigger = QueryTrigger;

export const HANDOFF_MESSAGE =
  'I’m passing this conversation to a person. Stay here: someone from the team will reply in this chat.';

/**
 * Marks the conversation as waiting for a person and tells the visitor. From then on the bot stays
 * silent in it. Only the first request changes anything, whichever node or trigger comes first.
 * The request opens a queued query (service module), routed to the widget's team if it has one,
 * and round-robin assignment runs at once.
 */
export async function requestHandoff(options: {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  conversationId: string;
  workspaceId: string;
  widget: Pick<WidgetsTable, 'id' | 'bot_name'>;
  trigger: HandoffTrigger;
  /** false: queue it without telling the visitor (a widget without a bot: people answer anyway). */
  announce?: boolean;
}): Promise<boolean> {
  const { db, vault, pubsub, conversationId, workspaceId, widget } = options;
  if (!(await markHandoffRequested(db, conversationId, nowIso()))) return false;
  const conversation = await findConversationById(db, conversationId);
  if (conversation) {
    const teamId = (await findWidgetById(db, conversation.widget_id))?.team_id ?? null;
    await openQuery({ db, vault, conversation, teamId, trigger: options.trigger });
  }
  // Outside the widget's business hours the notice says when someone will answer.
  const body =
    options.announce === false
      ? null
      : await handoffNotice({ db, widgetId: widget.id, workspaceId, conversationId, usual: HANDOFF_MESSAGE });
  const result =
    body === null
      ? null
      : await sendMessage({
          db,
          vault,
          conversationId,
          author: { kind: 'bot', id: widget.id, name: widget.bot_name },
          clientId: `handoff_${conversationId.replace(/-/g, '')}`,
          body,
        }).catch(() => null); // a closed conversation still records the request
  if (result && !result.duplicate) await publishMessage({ db, vault, pubsub, result });
  else await publishConversationUpdated({ db, vault, pubsub, workspaceId, conversationId });
  const ttl = presenceTtlMs(LIMITS.heartbeatIntervalMs);
  await routeQueue({ db, vault, pubsub, presenceTtlMs: ttl }, workspaceId);
  return true;
}
