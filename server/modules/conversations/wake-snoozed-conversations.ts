import { AppError } from '../../errors.js';
import { changeConversationStatus, type LifecycleDeps } from './change-conversation-status.js';
import { findDueSnoozes } from './lifecycle.repository.js';

/**
 * Reopens the snoozed conversations whose time has come, in bounded batches. Idempotent: a
 * conversation someone reopened (or the visitor woke) meanwhile is left as it is.
 */
export async function wakeSnoozedConversations(
  deps: LifecycleDeps,
  o: { now: Date; batchSize: number; keepGoing: () => Promise<boolean> },
): Promise<{ woken: number; completed: boolean }> {
  let woken = 0;
  for (;;) {
    const due = await findDueSnoozes(deps.db, o.now.toISOString(), o.batchSize);
    if (due.length === 0) return { woken, completed: true };
    let changed = 0;
    for (const c of due) {
      try {
        await changeConversationStatus(deps, {
          workspaceId: c.workspace_id,
          conversationId: c.id,
          scope: null,
          action: 'wake',
          actor: { kind: 'system', id: null },
        });
        changed += 1;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    }
    woken += changed;
    // Nothing of this batch moved (all changed under us): the next read would return the same rows.
    if (changed === 0 || due.length < o.batchSize) return { woken, completed: true };
    if (!(await o.keepGoing())) return { woken, completed: false };
  }
}
