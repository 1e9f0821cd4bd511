import type { ConversationStatus } from '../../platform/db/schema-lifecycle.js';

/**
 * The conversation lifecycle as a pure policy: which status an action leads to from each status.
 * `closed` is final. Commands ask it before they write, and write conditionally on the status they
 * read, so a race between two agents (or an agent and the visitor) settles on one outcome.
 *
 * - open ⇄ pending (waiting on the visitor) ⇄ snoozed (until a time or the visitor's next message)
 * - any of those → resolved; resolved/pending/snoozed → open again (an agent reopens it, the
 *   visitor writes, the snooze ends)
 * - anything but closed → closed
 */
export type LifecycleAction =
  | 'resolve'
  | 'reopen'
  | 'set_pending'
  | 'snooze'
  | 'close'
  /** A visitor's message: back to open from anything that waits for them. */
  | 'visitor_wrote'
  /** The snooze's time came (the scheduler). */
  | 'wake';

export type Transition =
  | { ok: true; to: ConversationStatus; changed: boolean }
  | { ok: false; reason: 'closed' | 'not_allowed' };

const ALLOWED: Record<LifecycleAction, Partial<Record<ConversationStatus, ConversationStatus>>> = {
  resolve: { open: 'resolved', pending: 'resolved', snoozed: 'resolved' },
  reopen: { resolved: 'open', pending: 'open', snoozed: 'open' },
  set_pending: { open: 'pending', snoozed: 'pending' },
  // A snoozed conversation may be snoozed again with another time.
  snooze: { open: 'snoozed', pending: 'snoozed', snoozed: 'snoozed' },
  close: { open: 'closed', pending: 'closed', snoozed: 'closed', resolved: 'closed' },
  visitor_wrote: { open: 'open', pending: 'open', snoozed: 'open', resolved: 'open' },
  wake: { snoozed: 'open' },
};

export function transition(from: ConversationStatus, action: LifecycleAction): Transition {
  if (from === 'closed') return { ok: false, reason: 'closed' };
  const to = ALLOWED[action][from];
  if (!to) return { ok: false, reason: 'not_allowed' };
  return { ok: true, to, changed: to !== from || action === 'snooze' };
}

/** The statuses an action may start from (the conditional write's `where status in (…)`). */
export function fromStatuses(action: LifecycleAction): ConversationStatus[] {
  return Object.keys(ALLOWED[action]) as ConversationStatus[];
}

/** Statuses an inbox shows as tabs (closed conversations are history, not work). */
export const INBOX_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
