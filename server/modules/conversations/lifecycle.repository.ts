import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/schema.js';
import type { ConversationEventsTable, ConversationStatus } from '../../platform/db/schema-lifecycle.js';
import { type Scope, scopeWhere } from '../handoff/scope.js';

/**
 * The one write that moves a conversation's status: it applies only while the status is still one
 * of `from`, so of two racing changes exactly one wins.
 */
export async function moveStatus(
  db: Executor,
  o: {
    conversationId: string;
    from: readonly ConversationStatus[];
    to: ConversationStatus;
    at: string;
    snoozedUntil?: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({
      status: o.to,
      status_changed_at: o.at,
      snoozed_until: o.to === 'snoozed' ? (o.snoozedUntil ?? null) : null,
      updated_at: o.at,
    })
    .where('id', '=', o.conversationId)
    .where('status', 'in', o.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertConversationEvent(
  db: Executor,
  row: Omit<ConversationEventsTable, 'id' | 'actor_id' | 'detail'> &
    Partial<Pick<ConversationEventsTable, 'actor_id' | 'detail'>>,
): Promise<void> {
  await db
    .insertInto('conversation_events')
    .values({ id: randomUUID(), actor_id: null, detail: null, ...row })
    .execute();
}

export function listConversationEvents(db: Executor, conversationId: string) {
  return db
    .selectFrom('conversation_events')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

/** Snoozed conversations whose time has come, oldest first (the snooze waker's batch). */
export function findDueSnoozes(db: Executor, now: string, limit: number) {
  return db
    .selectFrom('conversations')
    .select(['id', 'workspace_id'])
    .where('status', '=', 'snoozed')
    .where('snoozed_until', 'is not', null)
    .where('snoozed_until', '<=', now)
    .orderBy('snoozed_until')
    .limit(limit)
    .execute();
}

/** The visitor's latest closed conversation on this widget: a new one continues it. */
export async function findLatestClosedConversation(db: Executor, visitorId: string, widgetId: string) {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('visitor_id', '=', visitorId)
    .where('widget_id', '=', widgetId)
    .where('status', '=', 'closed')
    .orderBy('status_changed_at', 'desc')
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface StatusCounts {
  status: ConversationStatus;
  all: number;
  mine: number;
  unassigned: number;
}

/**
 * The inbox tabs' counts in one read, confined by the reader's scope exactly like the list
 * (handoff/scope.ts): per status, everything the reader sees, what is assigned to them, what is
 * nobody's.
 */
export async function countByStatus(
  db: Executor,
  o: { workspaceId: string; scope: Scope; userId: string | null },
): Promise<StatusCounts[]> {
  const me = o.userId ?? '';
  const rows = await db
    .selectFrom('conversations')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select((eb) => [
      'conversations.status as status',
      eb.fn.countAll<number>().as('n_all'),
      sql<number>`sum(case when ${sql.ref('queries.assignee_id')} = ${me} then 1 else 0 end)`.as('n_mine'),
      sql<number>`sum(case when ${sql.ref('queries.assignee_id')} is null then 1 else 0 end)`.as(
        'n_unassigned',
      ),
    ])
    .where('conversations.workspace_id', '=', o.workspaceId)
    .where('conversations.status', '!=', 'closed')
    .where(scopeWhere(o.scope))
    .groupBy('conversations.status')
    .execute();
  return rows.map((r) => ({
    status: r.status,
    all: Number(r.n_all),
    mine: Number(r.n_mine ?? 0),
    unassigned: Number(r.n_unassigned ?? 0),
  }));
}
