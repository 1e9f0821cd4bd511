import type { ExpressionBuilder } from 'kysely';
import type { Database, Executor, MessageOutboxTable } from '../../platform/db/schema.js';

/**
 * Records the turns owed for a message (same transaction), in one statement whatever their number.
 * A turn is leased by the node that stored it, unless a turn of its subscriber is still owed to an
 * earlier message of the conversation (running, or waiting for a retry): then it has no owner and
 * is due at once, for whichever node's sweep takes the conversation's turns in order. Returns the
 * turns this node leased, which it runs itself; a turn already recorded (a resend racing its
 * original) is not returned.
 */
export async function insertOwedTurns(
  db: Executor,
  o: {
    turns: Array<{ id: string; subscriber: string }>;
    workspaceId: string;
    conversationId: string;
    messageId: string;
    seq: number;
    at: string;
    owner: string;
    leaseUntil: string;
  },
): Promise<Array<{ id: string; subscriber: string }>> {
  if (o.turns.length === 0) return [];
  // Checked in the INSERT itself, not read first: one round trip per message, not two per turn.
  const earlier = (subscriber: string) => (eb: ExpressionBuilder<Database, 'message_outbox'>) =>
    eb.exists(
      eb
        .selectFrom('message_outbox as e')
        .select('e.id')
        .where('e.conversation_id', '=', o.conversationId)
        .where('e.subscriber', '=', subscriber)
        .where('e.seq', '<', o.seq),
    );
  const rows = await db
    .insertInto('message_outbox')
    .values(
      o.turns.map(({ id, subscriber }) => ({
        id,
        subscriber,
        workspace_id: o.workspaceId,
        conversation_id: o.conversationId,
        message_id: o.messageId,
        seq: o.seq,
        created_at: o.at,
        lease_owner: (eb) => eb.case().when(earlier(subscriber)(eb)).then(null).else(o.owner).end(),
        lease_until: (eb) => eb.case().when(earlier(subscriber)(eb)).then(o.at).else(o.leaseUntil).end(),
        attempts: 1,
      })),
    )
    .onConflict((oc) => oc.columns(['subscriber', 'message_id']).doNothing())
    .returning(['id', 'subscriber', 'lease_owner'])
    .execute();
  return rows.filter((r) => r.lease_owner === o.owner).map(({ id, subscriber }) => ({ id, subscriber }));
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
