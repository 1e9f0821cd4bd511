import type { Scope } from '../handoff/scope.js';
import {
  changeConversationStatus,
  type LifecycleActor,
  type LifecycleDeps,
} from './change-conversation-status.js';

/** An agent reopens a resolved, pending or snoozed conversation: it is open work again. */
export async function reopenConversation(
  deps: LifecycleDeps,
  o: { workspaceId: string; conversationId: string; scope: Scope; actor: LifecycleActor },
) {
  return changeConversationStatus(deps, { ...o, action: 'reopen' });
}
