import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import type { Scope } from '../handoff/scope.js';
import {
  changeConversationStatus,
  type LifecycleActor,
  type LifecycleDeps,
} from './change-conversation-status.js';

/**
 * Snoozes a conversation until a time (the snooze waker reopens it then, snooze-job.ts) or, with no
 * time, until the visitor's next message. Either way a visitor's message reopens it at once.
 */
export async function snoozeConversation(
  deps: LifecycleDeps,
  o: {
    workspaceId: string;
    conversationId: string;
    scope: Scope;
    actor: LifecycleActor;
    until: string | null;
  },
) {
  let until: string | null = null;
  if (o.until !== null) {
    const at = Date.parse(o.until);
    if (!Number.isFinite(at)) throw new AppError('invalid_request', { details: ['until is not a time'] });
    if (at <= clock.now()) throw new AppError('snooze_in_past');
    until = new Date(at).toISOString();
  }
  const { workspaceId, conversationId, scope, actor } = o;
  return changeConversationStatus(deps, {
    workspaceId,
    conversationId,
    scope,
    actor,
    action: 'snooze',
    detail: until,
    snoozedUntil: until,
  });
}
