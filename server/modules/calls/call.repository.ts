import type { CallEndReason } from '../../../protocol/calls.js';
import type { Executor } from '../../platform/db/schema.js';
import type { CallsTable, CallTokensTable } from '../../platform/db/schema-calls.js';

export function insertCall(db: Executor, row: CallsTable): Promise<unknown> {
  return db.insertInto('calls').values(row).execute();
}

export function findCall(db: Executor, id: string): Promise<CallsTable | undefined> {
  return db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findLiveCallOf(db: Executor, conversationId: string): Promise<CallsTable | undefined> {
  return db
    .selectFrom('calls')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('state', '<>', 'ended')
    .executeTakeFirst();
}

export function insertCallToken(db: Executor, row: CallTokensTable): Promise<unknown> {
  return db.insertInto('call_tokens').values(row).execute();
}

/** Spends a token: true only for the first use, before expiry, by the principal and socket it was issued to. */
export async function spendCallToken(
  db: Executor,
  o: { tokenHash: string; callId: string; principalId: string; connectionId: string; now: string },
): Promise<boolean> {
  const res = await db
    .updateTable('call_tokens')
    .set({ used_at: o.now })
    .where('token_hash', '=', o.tokenHash)
    .where('call_id', '=', o.callId)
    .where('principal_id', '=', o.principalId)
    .where('connection_id', '=', o.connectionId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', o.now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Puts a socket in the room, if the call has not ended: the agent's seat was the offering socket's
 * from the start; the visitor's is free until one of their sockets takes it, which accepts the call.
 */
export async function takeSeat(
  db: Executor,
  o: { callId: string; role: 'agent' | 'visitor'; connectionId: string; now: string },
): Promise<boolean> {
  const base =
    o.role === 'agent'
      ? db
          .updateTable('calls')
          .set({ agent_conn: o.connectionId, agent_seen_at: o.now })
          .where('agent_conn', '=', o.connectionId)
      : db
          .updateTable('calls')
          .set({ visitor_conn: o.connectionId, visitor_seen_at: o.now, state: 'active', accepted_at: o.now })
          .where('visitor_conn', 'is', null)
          .where('state', '=', 'ringing');
  const res = await base.where('id', '=', o.callId).where('state', '<>', 'ended').executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Ends a call once: returns the row as it was if this call ended it, undefined if it had already ended. */
export async function markEnded(
  db: Executor,
  o: {
    callId: string;
    reason: CallEndReason;
    now: string;
    onlyRinging?: boolean | undefined;
    /** Only a call still in this state (the sweep read it so). */
    onlyIn?: 'ringing' | 'active' | undefined;
  },
): Promise<CallsTable | undefined> {
  const before = await findCall(db, o.callId);
  if (!before || before.state === 'ended') return undefined;
  if (o.onlyRinging && before.state !== 'ringing') return undefined;
  if (o.onlyIn && before.state !== o.onlyIn) return undefined;
  const res = await db
    .updateTable('calls')
    .set({ state: 'ended', ended_at: o.now, end_reason: o.reason })
    .where('id', '=', o.callId)
    .where('state', '=', before.state)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? before : undefined;
}

export async function deleteCallsOf(db: Executor, conversationIds: readonly string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await db.deleteFrom('call_tokens').where('conversation_id', 'in', conversationIds).execute();
  await db.deleteFrom('calls').where('conversation_id', 'in', conversationIds).execute();
}

/** Spent and expired tokens are of no use to anyone: each new token clears its call's old ones. */
export async function deleteStaleTokens(db: Executor, callId: string, now: string): Promise<void> {
  await db
    .deleteFrom('call_tokens')
    .where('call_id', '=', callId)
    .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', now)]))
    .execute();
}

/**
 * This node's sockets still hold their seats: each live call one of them sits in (or offered) is
 * renewed, so the sweep can tell a seat on a live node from one on a node that died.
 */
export async function renewSeats(db: Executor, connectionIds: readonly string[], now: string): Promise<void> {
  if (connectionIds.length === 0) return;
  await db
    .updateTable('calls')
    .set({ agent_seen_at: now })
    .where('state', 'in', ['ringing', 'active'])
    .where('agent_conn', 'in', connectionIds)
    .execute();
  await db
    .updateTable('calls')
    .set({ visitor_seen_at: now })
    .where('state', '=', 'active')
    .where('visitor_conn', 'in', connectionIds)
    .execute();
}

/**
 * Whether any call has not ended: the sweep takes no lease while none is. By the live states, not
 * `<> 'ended'`, so the `(state, created_at)` index answers it however many calls have ended.
 */
export async function anyLiveCall(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('calls')
    .select('id')
    .where('state', 'in', ['ringing', 'active'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Calls still ringing that were offered before `before`, oldest first. */
export function findRungOut(db: Executor, o: { before: string; limit: number }): Promise<CallsTable[]> {
  return db
    .selectFrom('calls')
    .selectAll()
    .where('state', '=', 'ringing')
    .where('created_at', '<', o.before)
    .orderBy('created_at')
    .limit(o.limit)
    .execute();
}

/**
 * Active calls with a seat nobody renewed since `before` (or never: a call accepted before seats were
 * renewed), oldest first.
 */
export function findStaleSeats(db: Executor, o: { before: string; limit: number }): Promise<CallsTable[]> {
  return db
    .selectFrom('calls')
    .selectAll()
    .where('state', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('agent_seen_at', 'is', null),
        eb('agent_seen_at', '<', o.before),
        eb('visitor_seen_at', 'is', null),
        eb('visitor_seen_at', '<', o.before),
      ]),
    )
    .orderBy('created_at')
    .limit(o.limit)
    .execute();
}
