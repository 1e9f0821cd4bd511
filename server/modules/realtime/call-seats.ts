import type { FastifyBaseLogger } from 'fastify';
import { CALL_LIMITS, type CallEndReason, type CallRole } from '../../../protocol/calls.js';
import type { ClientFrame } from '../../../protocol/ws.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { emit } from '../../platform/metrics/signals.js';
import { createMemoryCounters, type SharedCounters } from '../../platform/pubsub/shared-counters.js';
import type { CallDeps, CallParty } from '../calls/call-deps.js';
import {
  type CallEvent,
  type ConversationCallEvent,
  callChannel,
  publishCallEvent,
} from '../calls/call-events.js';
import { issueCallToken, joinCall } from '../calls/call-token.js';
import { checkSignal } from '../calls/check-signal.js';
import { endCall } from '../calls/end-call.js';
import { offerCall } from '../calls/offer-call.js';
import { conversationChannel } from '../conversations/events.js';

/** A member of a pub/sub channel, as socket-host.ts has it (kept apart: that file imports this one). */
interface ChannelMember {
  readonly id: string;
}

type CallFrame = Extract<ClientFrame, { type: `call.${string}` }>;

/** What the node gives the sockets' call seats (hub.ts). */
export interface CallHost<C extends ChannelMember> {
  readonly callDeps: CallDeps;
  readonly callTokenBudget: CallTokenBudget;
  join(channel: string, conn: C): Promise<void>;
  leave(channel: string, conn: C): void;
  /** After an offer: the call is missed if still ringing when its time is up. */
  ringFor(callId: string): void;
}

/** What the seats need of their socket (connection.ts). */
export interface CallSocket extends ChannelMember {
  party(): CallParty & { name: string };
  /** The socket's confinement check (throws `conversation_not_found`). */
  authorize(conversationId: string): Promise<void>;
  /** Whether the socket follows the conversation (then it keeps its channel after a call). */
  follows(conversationId: string): boolean;
  sendFrame(frame: object): void;
}

interface Seat {
  role: CallRole;
  conversationId: string;
  /** In the room (joined with a token): signals flow. An agent's offer is held unseated until then. */
  seated: boolean;
}
const NO_SEATS: ReadonlyMap<string, Seat> = new Map();

/**
 * One socket's part in calls: the offers it made and the rooms it sits in. A seated socket is a
 * member of the call's channel, and of the conversation's (so a transfer that takes the conversation
 * out of the agent's scope reaches it and ends the call). When the socket closes (sign-out, erasure,
 * a lost connection) its calls end, for the other side too, wherever that side is connected.
 */
export class CallSeats<C extends CallSocket> {
  /**
   * Made on the first call only: most sockets never take part in one, and every idle socket of a
   * node carries this object (an empty Map or Set is about 150 bytes).
   */
  private seatMap: Map<string, Seat> | undefined;
  /**
   * Calls this socket left lately: their end also arrives on the conversation's channel (for the
   * visitor's other sockets), after the call's own channel told this one.
   */
  private left: Set<string> | undefined;

  private get seats(): ReadonlyMap<string, Seat> {
    return this.seatMap ?? NO_SEATS;
  }

  private seat(callId: string, seat: Seat): void {
    this.seatMap ??= new Map();
    this.seatMap.set(callId, seat);
  }

  constructor(
    private readonly socket: C,
    private readonly host: CallHost<C>,
    private readonly log: FastifyBaseLogger,
  ) {}

  async handle(frame: CallFrame): Promise<void> {
    const rid = frame.rid ? { rid: frame.rid } : {};
    const party = this.socket.party();
    const mayAccess = (id: string) => this.socket.authorize(id);
    switch (frame.type) {
      case 'call.offer': {
        if (party.role !== 'agent') throw new AppError('forbidden');
        await this.socket.authorize(frame.conversationId);
        await this.host.callTokenBudget.spend(party.id);
        const call = await offerCall(this.host.callDeps, {
          agent: { userId: party.id, name: party.name, workspaceId: party.workspaceId },
          conversationId: frame.conversationId,
          media: frame.media,
          connectionId: this.socket.id,
        });
        this.seat(call.id, { role: 'agent', conversationId: call.conversation_id, seated: false });
        await this.enter(call.id, call.conversation_id);
        this.host.ringFor(call.id);
        this.socket.sendFrame({
          type: 'call.created',
          ...rid,
          callId: call.id,
          conversationId: call.conversation_id,
          media: call.media,
        });
        return;
      }
      case 'call.token': {
        await this.host.callTokenBudget.spend(party.id);
        const issued = await issueCallToken(this.host.callDeps, { party, callId: frame.callId, mayAccess });
        this.socket.sendFrame({ type: 'call.token', ...rid, callId: frame.callId, ...issued });
        return;
      }
      case 'call.join': {
        const joined = await joinCall(this.host.callDeps, {
          party,
          callId: frame.callId,
          token: frame.token,
          mayAccess,
          seated: async (call) => {
            this.seat(frame.callId, {
              role: party.role,
              conversationId: call.conversation_id,
              seated: true,
            });
            await this.enter(frame.callId, call.conversation_id);
          },
        });
        this.socket.sendFrame({
          type: 'call.joined',
          ...rid,
          callId: frame.callId,
          role: party.role,
          state: joined.state,
        });
        return;
      }
      case 'call.decline':
        if (party.role !== 'visitor') throw new AppError('forbidden');
        await this.end(frame.callId, 'declined', frame.rid, { onlyRinging: true, mayAccess });
        return;
      case 'call.end':
        await this.end(frame.callId, 'ended', frame.rid, { mayAccess });
        return;
      case 'call.signal': {
        const seat = this.seats.get(frame.callId);
        if (!seat?.seated) throw new AppError('call_not_joined');
        checkSignal(seat.role, frame.signal);
        await publishCallEvent(this.host.callDeps.pubsub, {
          kind: 'signal',
          callId: frame.callId,
          role: seat.role,
          signal: frame.signal,
        });
        return;
      }
    }
  }

  /**
   * Ends a call this socket may end: one it sits in or offered, or (a visitor) one ringing in their
   * conversation. Answered directly; the rest of the room hears it on the call's channel.
   */
  private async end(
    callId: string,
    reason: CallEndReason,
    rid: string | undefined,
    o: { onlyRinging?: boolean; mayAccess: (conversationId: string) => Promise<void> },
  ): Promise<void> {
    const party = this.socket.party();
    const seat = this.seats.get(callId);
    const call = await this.host.callDeps.db
      .selectFrom('calls')
      .select(['conversation_id', 'agent_user_id', 'state', 'workspace_id'])
      .where('id', '=', callId)
      .executeTakeFirst();
    const mine =
      call &&
      call.workspace_id === party.workspaceId &&
      (seat !== undefined ||
        (party.role === 'visitor' && call.state === 'ringing') ||
        (party.role === 'agent' && call.agent_user_id === party.id));
    if (!call || !mine || call.state === 'ended') throw new AppError('call_not_found');
    if (!seat) {
      try {
        await o.mayAccess(call.conversation_id);
      } catch {
        throw new AppError('call_not_found');
      }
    }
    const actor =
      party.role === 'agent'
        ? { type: 'user' as const, id: party.id }
        : { type: 'visitor' as const, id: party.id };
    const durationSeconds = await endCall(this.host.callDeps, {
      callId,
      reason,
      by: { actor, connectionId: this.socket.id },
      ...(o.onlyRinging ? { onlyRinging: true } : {}),
    });
    if (durationSeconds === null) throw new AppError('call_not_found');
    this.leaveSeat(callId);
    this.socket.sendFrame({
      type: 'call.ended',
      ...(rid ? { rid } : {}),
      callId,
      conversationId: call.conversation_id,
      reason,
      durationSeconds,
    });
  }

  /** An event on a call's channel this socket sits in. */
  onCallEvent(event: CallEvent): void {
    const seat = this.seats.get(event.callId);
    if (!seat) return;
    if (event.kind === 'signal') {
      if (seat.seated && event.role !== seat.role)
        this.socket.sendFrame({
          type: 'call.signal',
          callId: event.callId,
          from: event.role,
          signal: event.signal,
        });
      return;
    }
    if (event.kind === 'joined') {
      if (seat.seated && event.role === 'visitor')
        this.socket.sendFrame({ type: 'call.accepted', callId: event.callId });
      return;
    }
    if (event.from === this.socket.id) return;
    this.leaveSeat(event.callId);
    this.socket.sendFrame({
      type: 'call.ended',
      callId: event.callId,
      conversationId: event.conversationId,
      reason: event.reason,
      durationSeconds: event.durationSeconds,
    });
  }

  /** A call rings or stops on the visitor's conversation: to visitor sockets not in its room. */
  onVisitorEvent(event: ConversationCallEvent): boolean {
    if (this.socket.party().role !== 'visitor' || event.from === this.socket.id) return false;
    return !this.seats.has(event.callId) && !this.left?.has(event.callId);
  }

  /** Whether this socket offered or sits in any call (its seats are renewed while it is open). */
  get any(): boolean {
    return this.seats.size > 0;
  }

  /** Whether a call keeps this socket on the conversation's channel. */
  holds(conversationId: string): boolean {
    for (const seat of this.seats.values()) if (seat.conversationId === conversationId) return true;
    return false;
  }

  /** The conversation left this socket's scope (a transfer): its calls there end at once. */
  scopeLost(conversationId: string): void {
    for (const [callId, seat] of [...this.seats])
      if (seat.conversationId === conversationId) this.endQuietly(callId, 'access_ended');
  }

  /** The visitor was erased: their calls' records are gone; this socket only stops and says so. */
  erased(conversationIds: readonly string[]): void {
    const ids = new Set(conversationIds);
    for (const [callId, seat] of [...this.seats]) {
      if (!ids.has(seat.conversationId)) continue;
      this.leaveSeat(callId);
      this.socket.sendFrame({
        type: 'call.ended',
        callId,
        conversationId: seat.conversationId,
        reason: 'erased',
        durationSeconds: 0,
      });
    }
  }

  /** The socket closed: every call it offered or sits in ends, for the other side too. */
  dispose(): void {
    for (const callId of [...this.seats.keys()]) this.endQuietly(callId, 'left');
  }

  private endQuietly(callId: string, reason: CallEndReason): void {
    const seat = this.seats.get(callId);
    if (!seat) return;
    this.leaveSeat(callId);
    const party = this.socket.party();
    // An agent's offer that nobody answered was missed, however it stopped.
    const why = seat.role === 'agent' && !seat.seated && reason === 'left' ? 'missed' : reason;
    endCall(this.host.callDeps, {
      callId,
      reason: why,
      by: {
        actor: party.role === 'agent' ? { type: 'user', id: party.id } : { type: 'visitor', id: party.id },
        connectionId: this.socket.id,
      },
    })
      .then((durationSeconds) => {
        if (durationSeconds === null) return;
        this.socket.sendFrame({
          type: 'call.ended',
          callId,
          conversationId: seat.conversationId,
          reason: why,
          durationSeconds,
        });
      })
      .catch((err: unknown) => this.log.warn({ err }, 'ending a call failed'));
  }

  /**
   * Joins the call's channel (its end, and once seated its signals) and the conversation's (a
   * transfer out of scope reaches the socket even if it does not follow the conversation).
   */
  private async enter(callId: string, conversationId: string): Promise<void> {
    await this.host.join(callChannel(callId), this.socket);
    await this.host.join(conversationChannel(conversationId), this.socket);
  }

  private leaveSeat(callId: string): void {
    const seat = this.seats.get(callId);
    if (!seat) return;
    this.seatMap?.delete(callId);
    this.left ??= new Set();
    if (this.left.size >= 16) this.left.clear();
    this.left.add(callId);
    this.host.leave(callChannel(callId), this.socket);
    if (!this.socket.follows(seat.conversationId) && !this.holds(seat.conversationId))
      this.host.leave(conversationChannel(seat.conversationId), this.socket);
  }
}

/**
 * Call tokens (and offers) one principal may ask for, across all its sockets: on every node together
 * when the counters are shared (Redis), so a principal cannot multiply the budget by the number of
 * nodes behind the load balancer; each node alone otherwise (one node, or Redis away for a while).
 */
export class CallTokenBudget {
  constructor(private readonly counters: SharedCounters = createMemoryCounters()) {}

  async spend(principalId: string): Promise<void> {
    const taken = await this.counters.take(
      `call-tokens:${principalId}`,
      clock.now(),
      1 / CALL_LIMITS.tokenRefillSeconds,
      CALL_LIMITS.tokenBurst,
    );
    if (taken) return;
    emit('limit.refused', { limit: 'call_tokens' });
    throw new AppError('rate_limited', {
      details: [`too many call tokens: ask again in ${CALL_LIMITS.tokenRefillSeconds} s`],
      retryAfterSeconds: CALL_LIMITS.tokenRefillSeconds,
    });
  }
}
