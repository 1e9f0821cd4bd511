import type { Executor, MessageOutboxTable } from '../../platform/db/schema.js';

/** Whether a turn of this subscriber is still owed to an earlier message of the conversation. */
export async function hasEarlierTurn(
  db: Executor,
  o: { conversationId: string; subscriber: string; seq: number },
): Promise<boolean> {
  const row = await db
    .selectFrom('message_outbox')
    .select('id')
    .where('conversation_id', '=', o.conversationId)
    .where('subscriber', '=', o.subscriber)
    .where('seq', '<', o.seq)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records the turns owed for a message (same transaction): leased by the node that stored it, or,
 * with no owner, due at once for whichever node's sweep takes it in order.
 */
export async function insertOwedTurns(
  db: Executor,
  o: {
    turns: Array<{ id: string; subscriber: string; leased: boolean }>;
    workspaceId: string;
    conversationId: string;
    messageId: string;
    seq: number;
    at: string;
    owner: string;
    leaseUntil: string;
  },
): Promise<void> {
  if (o.turns.length === 0) return;
  await db
    .insertInto('message_outbox')
    .values(
      o.turns.map(({ id, subscriber, leased }) => ({
        id,
        subscriber,
        workspace_id: o.workspaceId,
        conversation_id: o.conversationId,
        message_id: o.messageId,
        seq: o.seq,
        created_at: o.at,
        lease_owner: leased ? o.owner : null,
        lease_until: leased ? o.leaseUntil : o.at,
        attempts: 1,
      })),
    )
    .onConflict((oc) => oc.columns(['subscriber', 'message_id']).doNothing())
    .execute();
}

/**
 * Takes up to `limit` turns whose lease has passed, only the oldest of each conversation and
 * subscriber (turns of one conversation run in seq order). On PostgreSQL two nodes may pick the same
 * rows; the UPDATE re-checks the lease on each row, so only one of them gets it.
 */
export async function claimDueTurns(
  db: Executor,
  o: { now: string; owner: string; leaseUntil: string; limit: number },
): Promise<MessageOutboxTable[]> {
  return db
    .updateTable('message_outbox')
    .set((eb) => ({ lease_owner: o.owner, lease_until: o.leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('lease_until', '<', o.now)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('message_outbox as o')
        .select('o.id')
        .where('o.lease_until', '<', o.now)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('message_outbox as e')
                .select('e.id')
                .whereRef('e.conversation_id', '=', 'o.conversation_id')
                .whereRef('e.subscriber', '=', 'o.subscriber')
                .whereRef('e.seq', '<', 'o.seq'),
            ),
          ),
        )
        .orderBy('o.lease_until')
        .limit(o.limit),
    )
    .returningAll()
    .execute();
}

/** Keeps this node's lease on turns still running. */
export async function renewTurns(
  db: Executor,
  o: { ids: string[]; owner: string; leaseUntil: string },
): Promise<void> {
  if (o.ids.length === 0) return;
  await db
    .updateTable('message_outbox')
    .set({ lease_until: o.leaseUntil })
    .where('id', 'in', o.ids)
    .where('lease_owner', '=', o.owner)
    .execute();
}

export async function completeTurn(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('message_outbox').where('id', '=', id).execute();
}

/** A failed turn waits until `retryAt`, when any node may take it again. */
export async function postponeTurn(db: Executor, o: { id: string; owner: string; retryAt: string }) {
  await db
    .updateTable('message_outbox')
    .set({ lease_owner: null, lease_until: o.retryAt })
    .where('id', '=', o.id)
    .where('lease_owner', '=', o.owner)
    .execute();
}

/** On a clean stop: this node's unfinished turns are free for another node at once. */
export async function releaseTurns(db: Executor, o: { ids: string[]; owner: string; now: string }) {
  if (o.ids.length === 0) return;
  await db
    .updateTable('message_outbox')
    .set({ lease_owner: null, lease_until: o.now })
    .where('id', 'in', o.ids)
    .where('lease_owner', '=', o.owner)
    .execute();
}

export function countOwedTurns(db: Executor, conversationId: string) {
  return db
    .selectFrom('message_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirstOrThrow();
}
