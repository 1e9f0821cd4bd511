import { CALL_LIMITS } from '../../../protocol/calls.js';
import type { CallsTable } from '../../platform/db/schema-calls.js';
import { findRungOut, findStaleSeats } from './call.repository.js';
import type { CallDeps } from './call-deps.js';
import { endCall } from './end-call.js';

/**
 * How often a node holding a seat renews it, and how long a seat may go unrenewed before its node
 * counts as gone: three renewals missed, so a busy node is not taken for a dead one.
 */
export const SEAT_RENEW_MS = 10_000;
export const SEAT_STALE_MS = 3 * SEAT_RENEW_MS;

/**
 * Ends the calls nobody can end any more, in bounded batches: an offer still ringing past the ring
 * time is `missed` (the node that made it, which keeps the time, may have died), and an active call
 * with a seat whose node stopped renewing it is `lost`. Each ends through `endCall`, like a hang-up:
 * the transcript and the audit log say so and both sides hear it on every node. Idempotent: a call
 * that ended or changed meanwhile is left as it is.
 */
export async function sweepCalls(
  deps: CallDeps,
  o: { now: Date; batchSize: number; keepGoing: () => Promise<boolean> },
): Promise<{ missed: number; lost: number; completed: boolean }> {
  const counts = { missed: 0, lost: 0 };
  const passes = [
    {
      kind: 'missed' as const,
      find: () =>
        findRungOut(deps.db, {
          before: new Date(o.now.getTime() - CALL_LIMITS.ringSeconds * 1000).toISOString(),
          limit: o.batchSize,
        }),
      end: (call: CallsTable) =>
        endCall(deps, { callId: call.id, reason: 'missed', by: null, onlyIn: 'ringing' }),
    },
    {
      kind: 'lost' as const,
      find: () =>
        findStaleSeats(deps.db, {
          before: new Date(o.now.getTime() - SEAT_STALE_MS).toISOString(),
          limit: o.batchSize,
        }),
      end: (call: CallsTable) =>
        endCall(deps, {
          callId: call.id,
          reason: 'lost',
          by: null,
          onlyIn: 'active',
          endedAt: lastSeen(call),
        }),
    },
  ];
  for (const pass of passes) {
    for (;;) {
      const due = await pass.find();
      let ended = 0;
      for (const call of due) if ((await pass.end(call)) !== null) ended += 1;
      counts[pass.kind] += ended;
      // Nothing of this batch ended (all changed under us): the next read would return the same rows.
      if (ended === 0 || due.length < o.batchSize) break;
      if (!(await o.keepGoing())) return { ...counts, completed: false };
    }
  }
  return { ...counts, completed: true };
}

/** The last moment both sides were known to be there: when the first seat went quiet, not before it was accepted. */
function lastSeen(call: CallsTable): string {
  const accepted = call.accepted_at ?? call.created_at;
  const seen = [call.agent_seen_at, call.visitor_seen_at].map((at) => at ?? accepted).sort()[0] ?? accepted;
  return seen < accepted ? accepted : seen;
}
