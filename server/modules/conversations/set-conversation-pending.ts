import type { Scope } from '../handoff/scope.js';
import {
  changeConversationStatus,
  type LifecycleActor,
  type LifecycleDeps,
} from './change-conversation-status.js';

/**
 * An agent marks a conversation as waiting on the visitor: it leaves "Open" until the visitor
 * writes (which reopens it) or an agent reopens it.
 */
export async function setConversationPending(
  deps: LifecycleDeps,
  o: { workspaceId: string; conversationId: string; scope: Scope; actor: LifecycleActor },
) {
  return changeConversationStatus(deps, { ...o, action: 'set_pending' });
}
