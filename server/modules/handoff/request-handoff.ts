import { LIMITS } from '../../../protocol/limits.js';
import { visitorText } from '../../i18n/visitor-texts.js';
import { nowIso } from '../../platform/clock.js';
import type { Executor, WidgetsTable } from '../../platform/db/schema.js';
import type { QueryTrigger } from '../../platform/db/schema-service.js';
import { markHandoffRequested } from '../conversations/bot-state.js';
import { publishConversationUpdated } from '../conversations/events.js';
import { findConversationById } from '../conversations/lookups.js';
import { announceMessage, type MessageDeps } from '../conversations/post-message.js';
import { storeMessage } from '../conversations/store-message.js';
import { findWidgetById } from '../widgets/lookups.js';
import { openQuery } from './open-query.js';
import { routeQueue } from './publish-query.js';
import { presenceTtlMs } from './service-defaults.js';

export type HandoffTrigger = QueryTrigger;

/** The notice in English; the bot says it in the conversation's language (server/i18n). */
export const HANDOFF_MESSAGE = visitorText('en', 'handoff');

/**
 * Marks the conversation as waiting for a person, opens its queued query (routed to the widget's
 * team if it has one) and tells the visitor, all in one commit: a crash leaves either nothing (the
 * bot's turn that asked for it runs again) or all of it. From then on the bot stays silent in it.
 * Only the first request changes anything, whichever node or trigger comes first. Round-robin
 * assignment runs after the commit (and again on every node's heartbeat, should this node die).
 */
export async function requestHandoff(
  deps: MessageDeps & {
    conversationId: string;
    workspaceId: string;
    widget: Pick<WidgetsTable, 'id' | 'bot_name'>;
    trigger: HandoffTrigger;
    /**
     * What the visitor is told, decided by the bot in the handoff's transaction (outside business
     * hours it says when someone will answer); absent: they are not told (a widget without a bot:
     * people answer anyway).
     */
    notice?: (trx: Executor) => Promise<string>;
  },
): Promise<boolean> {
  const { db, vault, conversationId, workspaceId, widget } = deps;
  const outcome = await db.transaction().execute(async (trx) => {
    if (!(await markHandoffRequested(trx, conversationId, nowIso()))) return null;
    const conversation = await findConversationById(trx, conversationId);
    if (!conversation) return null;
    const teamId = (await findWidgetById(trx, conversation.widget_id))?.team_id ?? null;
    const queryId = await openQuery({ db: trx, vault, conversation, teamId, trigger: deps.trigger });
    if (!deps.notice || conversation.status !== 'open') return { stored: null };
    const body = await deps.notice(trx);
    const key = await vault.forConversation(trx, conversationId);
    if (!key) return { stored: null };
    const stored = await storeMessage(trx, {
      key,
      stream: deps.stream,
      conversationId,
      author: { kind: 'bot', id: widget.id, name: widget.bot_name },
      // One notice per query: a conversation handed off again later is told again.
      clientId: `handoff_${queryId.replace(/-/g, '')}`,
      body,
    });
    return { stored };
  });
  if (!outcome) return false;
  if (outcome.stored) await announceMessage(deps, outcome.stored);
  else await publishConversationUpdated({ ...deps, workspaceId, conversationId });
  const ttl = presenceTtlMs(LIMITS.heartbeatIntervalMs);
  await routeQueue({ ...deps, presenceTtlMs: ttl }, workspaceId);
  return true;
}
