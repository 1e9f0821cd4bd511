import type { ExpressionBuilder } from 'kysely';
import { issueWrite, prepared } from '../../platform/db/prepared.js';
import type { Database, Executor, MessageOutboxTable } from '../../platform/db/schema.js';

interface OwedTurnsInput {
  turns: Array<{ id: string; subscriber: string }>;
  workspaceId: string;
  conversationId: string;
  messageId: string;
  seq: number;
  at: string;
  owner: string;
  leaseUntil: string;
}

type Turn = { id: string; subscriber: string };

/**
 * Records the turns owed for a message (same transaction), in one statement whatever their number.
 * A turn is leased by the node that stored it, unless a turn of its subscriber is still owed to an
 * earlier message of the conversation (running, or waiting for a retry): then it has no owner and
 * is due at once, for whichever node's sweep takes the conversation's turns in order. Returns the
 * turns this node leased, which it runs itself; a turn already recorded (a resend racing its
 * original) is not returned.
 */
export async function insertOwedTurns(db: Executor, o: OwedTurnsInput): Promise<Turn[]> {
  return (await issueOwedTurns(db, o)).done;
}

/**
 * The same, issued as the message's transaction goes on (`issueWrite`): `done` is settled by the
 * time the transaction has returned. A message owes one turn or none (the bot's), which is the
 * prepared statement; more run as one statement built for their number, awaited.
 */
export async function issueOwedTurns(db: Executor, o: OwedTurnsInput): Promise<{ done: Promise<Turn[]> }> {
  const [only, ...more] = o.turns;
  if (!only) return { done: Promise.resolve([]) };
  if (more.length > 0) return { done: Promise.resolve(await insertTurns(db, o)) };
  const { done } = await issueWrite(
    db,
    insertTurnQuery,
    only.id,
    only.subscriber,
    o.workspaceId,
    o.conversationId,
    o.messageId,
    o.seq,
    o.at,
    o.owner,
    o.leaseUntil,
  );
  const leased = done.then(({ rows }) => leasedBy(rows, o.owner));
  // Observed here so that a failed write is never unhandled; the transaction reports it.
  leased.catch(() => undefined);
  return { done: leased };
}

function leasedBy(rows: Array<Turn & { lease_owner: string | null }>, owner: string): Turn[] {
  return rows.filter((r) => r.lease_owner === owner).map(({ id, subscriber }) => ({ id, subscriber }));
}

// Checked in the INSERT itself, not read first: one round trip per message, not two per turn.
const earlierTurn =
  (conversationId: string, subscriber: string, seq: number) =>
  (eb: ExpressionBuilder<Database, 'message_outbox'>) =>
    eb.exists(
      eb
        .selectFrom('message_outbox as e')
        .select('e.id')
        .where('e.conversation_id', '=', conversationId)
        .where('e.subscriber', '=', subscriber)
        .where('e.seq', '<', seq),
    );

function turnRow(o: OwedTurnsInput, { id, subscriber }: Turn) {
  const earlier = earlierTurn(o.conversationId, subscriber, o.seq);
  return {
    id,
    subscriber,
    workspace_id: o.workspaceId,
    conversation_id: o.conversationId,
    message_id: o.messageId,
    seq: o.seq,
    created_at: o.at,
    lease_owner: (eb: ExpressionBuilder<Database, 'message_outbox'>) =>
      eb.case().when(earlier(eb)).then(null).else(o.owner).end(),
    lease_until: (eb: ExpressionBuilder<Database, 'message_outbox'>) =>
      eb.case().when(earlier(eb)).then(o.at).else(o.leaseUntil).end(),
    attempts: 1,
  };
}

async function insertTurns(db: Executor, o: OwedTurnsInput): Promise<Turn[]> {
  const rows = await db
    .insertInto('message_outbox')
    .values(o.turns.map((turn) => turnRow(o, turn)))
    .onConflict((oc) => oc.columns(['subscriber', 'message_id']).doNothing())
    .returning(['id', 'subscriber', 'lease_owner'])
    .execute();
  return leasedBy(rows, o.owner);
}

// Prepared: a visitor's message owes the bot's turn while the bot answers.
const insertTurnQuery = prepared(
  9,
  (
    db,
    id: string,
    subscriber: string,
    workspaceId: string,
    conversationId: string,
    messageId: string,
    seq: number,
    at: string,
    owner: string,
    leaseUntil: string,
  ) =>
    db
      .insertInto('message_outbox')
      .values(
        turnRow(
          { turns: [], workspaceId, conversationId, messageId, seq, at, owner, leaseUntil },
          { id, subscriber },
        ),
      )
      .onConflict((oc) => oc.columns(['subscriber', 'message_id']).doNothing())
      .returning(['id', 'subscriber', 'lease_owner']),
);

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
