import { CONTEXT_LIMITS, type VisitorContext } from '../../../protocol/visitor-context.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { Agent } from '../auth/agent.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { findScopeFacts, inScope, mayAccessConversation, scopeOfAgent } from '../handoff/scope.js';
import { maskText } from '../privacy/masking.js';
import { viewerOf, viewProfile } from '../privacy/views.js';
import { getVisitorProfile } from './get-visitor-profile.js';
import {
  findConversationPage,
  findFirstVisitorMessage,
  listOtherConversations,
} from './visitor-context.repository.js';

/**
 * The context panel of a conversation. Whoever may see the conversation sees its visitor's page,
 * profile and the list of their other conversations (date and status); the first message of an
 * earlier conversation, and a way to open it, only where the viewer may see that conversation too.
 * Confined operators therefore learn that a visitor wrote before, not what they wrote elsewhere.
 */
export async function getVisitorContext(options: {
  db: Db;
  vault: Vault;
  agent: Agent;
  workspaceId: string;
  conversationId: string;
}): Promise<VisitorContext> {
  const { db, vault, agent, workspaceId, conversationId } = options;
  const row = await findConversationPage(db, workspaceId, conversationId);
  const scope = await scopeOfAgent(db, agent);
  if (!row || !(await mayAccessConversation(db, scope, conversationId)))
    throw new AppError('conversation_not_found');
  const viewer = viewerOf(agent);
  const show = (text: string | null) => (text === null || viewer.personalData ? text : maskText(text));
  const key = await vault.forVisitor(db, workspaceId, row.visitor_id);

  const others = await listOtherConversations(db, {
    workspaceId,
    visitorId: row.visitor_id,
    exceptId: conversationId,
    limit: CONTEXT_LIMITS.maxPrevious,
  });
  const previous: VisitorContext['previous'] = [];
  const facts = await findScopeFacts(
    db,
    others.map((o) => o.id),
  );
  for (const other of others) {
    const known = facts.get(other.id);
    const canOpen = known !== undefined && inScope(known, scope);
    let firstMessage: string | null = null;
    if (canOpen) {
      const message = await findFirstVisitorMessage(db, other.id);
      if (message) firstMessage = shorten(openMessageRow(key, message).body);
    }
    // A conversation the reader may not open is listed without its id: it cannot be acted on.
    previous.push({
      id: canOpen ? other.id : null,
      status: other.status,
      createdAt: other.created_at,
      lastMessageAt: other.last_message_at,
      queryState: other.query_state ?? null,
      firstMessage: show(firstMessage),
      canOpen,
    });
  }

  const profile = await getVisitorProfile({ db, vault, workspaceId, visitorId: row.visitor_id });
  return {
    conversationId,
    visitorId: row.visitor_id,
    page: {
      pageUrl: show(key.openNullable('conversations', 'page_url', conversationId, row.page_url)),
      referrer: show(key.openNullable('conversations', 'referrer', conversationId, row.referrer)),
    },
    profile: viewProfile(profile, viewer),
    previous,
  };
}

function shorten(text: string): string {
  const max = CONTEXT_LIMITS.maxFirstMessageChars;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
