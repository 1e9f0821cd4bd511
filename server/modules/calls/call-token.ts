import { createHash, randomBytes } from 'node:crypto';
import { CALL_LIMITS, type IceServer } from '../../../protocol/calls.js';
import { AppError } from '../../errors.js';
import { isoFromNow, nowIso } from '../../platform/clock.js';
import type { CallsTable } from '../../platform/db/schema-calls.js';
import { deleteStaleTokens, findCall, insertCallToken, spendCallToken, takeSeat } from './call.repository.js';
import type { CallDeps, CallParty } from './call-deps.js';
import { publishCallEvent } from './call-events.js';
import { auditCall, noteCallInTranscript } from './record-call-event.js';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The call as this party may see it: a live call of their conversation (a visitor), or the live call
 * they offered (an agent). Anything else, another agent's call included, does not exist for them.
 * `mayAccess` is the socket's confinement check on the call's conversation.
 */
async function callFor(
  deps: CallDeps,
  party: CallParty,
  callId: string,
  mayAccess: (conversationId: string) => Promise<void>,
): Promise<CallsTable> {
  const call = await findCall(deps.db, callId);
  if (!call || call.state === 'ended' || call.workspace_id !== party.workspaceId)
    throw new AppError('call_not_found');
  if (party.role === 'agent' && call.agent_user_id !== party.id) throw new AppError('call_not_found');
  try {
    await mayAccess(call.conversation_id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'conversation_not_found')
      throw new AppError('call_not_found');
    throw err;
  }
  return call;
}

/**
 * A single-use token to join a call from this socket, good for seconds: bound to the call, the
 * principal and the socket, so a token seen elsewhere (a log, another tab, another person) joins
 * nothing. The ICE servers come with it, TURN credentials made for this principal and short-lived.
 * The caller rate-limits issuance per principal.
 */
export async function issueCallToken(
  deps: CallDeps,
  o: { party: CallParty; callId: string; mayAccess: (conversationId: string) => Promise<void> },
): Promise<{ token: string; expiresAt: string; iceServers: IceServer[] }> {
  const call = await callFor(deps, o.party, o.callId, o.mayAccess);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = isoFromNow(CALL_LIMITS.tokenTtlSeconds * 1000);
  await deleteStaleTokens(deps.db, call.id, nowIso());
  await insertCallToken(deps.db, {
    token_hash: hash(token),
    call_id: call.id,
    conversation_id: call.conversation_id,
    principal_kind: o.party.role,
    principal_id: o.party.id,
    connection_id: o.party.connectionId,
    expires_at: expiresAt,
    used_at: null,
  });
  return { token, expiresAt, iceServers: deps.iceServers(o.party.id) };
}

/**
 * Seats this socket in the call's room by spending its token. Each side has one seat: a second
 * device of the same person, with a token of its own, finds it taken. The visitor taking theirs
 * accepts the call; both sides hear it.
 */
export async function joinCall(
  deps: CallDeps,
  o: {
    party: CallParty;
    callId: string;
    token: string;
    mayAccess: (conversationId: string) => Promise<void>;
    /**
     * The seat is taken: the socket starts listening to the room here, before the other side hears
     * of it, or the other side's first signals (the agent's offer answers the visitor's joining)
     * could arrive before this socket listens and be lost.
     */
    seated?: (call: CallsTable) => Promise<void>;
  },
): Promise<{ call: CallsTable; state: 'ringing' | 'active' }> {
  const call = await callFor(deps, o.party, o.callId, o.mayAccess);
  const now = nowIso();
  const spent = await spendCallToken(deps.db, {
    tokenHash: hash(o.token),
    callId: call.id,
    principalId: o.party.id,
    connectionId: o.party.connectionId,
    now,
  });
  if (!spent) throw new AppError('call_token_invalid');
  if (
    !(await takeSeat(deps.db, {
      callId: call.id,
      role: o.party.role,
      connectionId: o.party.connectionId,
      now,
    }))
  )
    throw new AppError(call.state === 'ended' ? 'call_not_found' : 'call_taken');
  await o.seated?.(call);
  const accepted = o.party.role === 'visitor';
  await auditCall(deps, {
    workspaceId: call.workspace_id,
    actor: o.party.role === 'agent' ? { type: 'user', id: o.party.id } : { type: 'visitor', id: o.party.id },
    action: 'call.joined',
    callId: call.id,
    conversationId: call.conversation_id,
    media: call.media,
  });
  await publishCallEvent(deps.pubsub, { kind: 'joined', callId: call.id, role: o.party.role });
  if (accepted)
    await noteCallInTranscript(deps, {
      callId: call.id,
      conversationId: call.conversation_id,
      note: { event: 'accepted' },
    });
  return { call, state: accepted || call.state === 'active' ? 'active' : 'ringing' };
}
