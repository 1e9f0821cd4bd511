import type { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { IceServer } from '../../../protocol/calls.js';
import { CALL_LIMITS } from '../../../protocol/calls.js';
import { CLOSE } from '../../../protocol/ws-close-codes.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { inSlices } from '../../platform/in-slices.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import type { Agent } from '../auth/agent.js';
import { CONTROL_CHANNEL } from '../auth/end-session.js';
import { findSessionStates, touchSession } from '../auth/session-state.js';
import type { CallDeps } from '../calls/call-deps.js';
import { type CallEvent, type ConversationCallEvent, isCallChannel } from '../calls/call-events.js';
import { endCall } from '../calls/end-call.js';
import { renewCallSeats } from '../calls/renew-call-seats.js';
import { SEAT_RENEW_MS } from '../calls/sweep-calls.js';
import { type ConversationEvent, conversationChannel, type WorkspaceEvent } from '../conversations/events.js';
import { findLastSeqs } from '../conversations/lookups.js';
import type { ReceiptEvent } from '../conversations/mark-read.js';
import type { MessageDeps } from '../conversations/post-message.js';
import { authorReceipt } from '../conversations/read-cursors.js';
import type { Vault } from '../encryption/vault.js';
import { agentConnected, agentDisconnected, agentsStillConnected } from '../handoff/presence.js';
import { routeQueue } from '../handoff/publish-query.js';
import { findScopeFacts } from '../handoff/scope.js';
import { presenceTtlMs } from '../handoff/service-defaults.js';
import { maskMessage } from '../privacy/views.js';
import { CallTokenBudget } from './call-seats.js';
import { Connection } from './connection.js';
import type { SocketPrincipal } from './handshake.js';
import { MessageBudget } from './message-budget.js';
import type { SocketHost } from './socket-host.js';

type Entry = { conns: Set<Connection>; ready: Promise<() => Promise<void>> };
type ControlEvent =
  | { kind: 'session.ended'; sessionId: string }
  | { kind: 'visitor.erased'; visitorId: string; conversationIds: string[] }
  | { kind: 'scope.changed'; userIds: string[] }
  /** Every session and visitor credential of a workspace (null: of all) was ended (an incident). */
  | { kind: 'credentials.ended'; workspaceId: string | null };

/**
 * This node's sockets. Each pub/sub channel is subscribed once per node however many local sockets
 * want it; each event is parsed and serialized once per node, then handed to the sockets.
 */
export class Hub implements SocketHost<Connection> {
  readonly nodeId: string;
  private readonly connections = new Set<Connection>();
  private readonly channels = new Map<string, Entry>();
  private counter = 0;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribeControl: (() => Promise<void>) | null = null;
  private readonly sessionTouchedAt = new Map<string, number>();
  /** When each connected agent session expires (idle or absolute), as last read from the database. */
  private readonly sessionDeadlines = new Map<string, number>();
  private sweeper: NodeJS.Timeout | null = null;
  private catchUp: NodeJS.Timeout | null = null;
  private seatRenewer: NodeJS.Timeout | null = null;
  private sweepingBehind: Promise<void> | null = null;
  readonly db: Db;
  readonly pubsub: PubSub;
  readonly vault: Vault;
  /** Messages per principal across all its sockets on this node (set from the config with the routes). */
  messageBudget = MessageBudget.withDefaults();
  /** Call tokens and offers per principal (set with the routes: on every node together with Redis). */
  callTokenBudget = new CallTokenBudget();
  /** STUN/TURN servers for a principal (set from the config with the routes). */
  iceServers: (principalId: string) => IceServer[] = () => [];
  /** How long an offer rings before it is missed. */
  ringMs: number = CALL_LIMITS.ringSeconds * 1000;
  private readonly ringing = new Set<NodeJS.Timeout>();
  readonly callDeps: CallDeps;

  constructor(
    /** What the message command needs: sockets post through it. */
    readonly messages: MessageDeps,
    private readonly log: FastifyBaseLogger,
    readonly heartbeatIntervalMs: number,
    private readonly sessionIdleMs: number,
  ) {
    this.db = messages.db;
    this.pubsub = messages.pubsub;
    this.vault = messages.vault;
    this.nodeId = messages.stream.node;
    this.callDeps = { ...messages, log, iceServers: (id) => this.iceServers(id) };
  }

  /** An offer nobody answers in time is missed; the node that made it keeps the time. */
  ringFor(callId: string): void {
    const timer = setTimeout(() => {
      this.ringing.delete(timer);
      endCall(this.callDeps, { callId, reason: 'missed', by: null, onlyRinging: true }).catch(
        (err: unknown) => this.log.warn({ err }, 'ending a missed call failed'),
      );
    }, this.ringMs);
    timer.unref();
    this.ringing.add(timer);
  }

  async start(): Promise<void> {
    this.unsubscribeControl = await this.pubsub.subscribe(CONTROL_CHANNEL, (p) => this.onControl(p));
    this.timer = setInterval(() => void this.tick(), this.heartbeatIntervalMs);
    this.timer.unref();
    // Expiry is enforced within a second: a passed deadline is re-read (activity elsewhere may
    // have extended it) and the session's sockets close if it really ended.
    this.sweeper = setInterval(() => void this.sweepDeadlines(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
    this.catchUp = setInterval(() => void this.sweepBehind(), CATCH_UP_INTERVAL_MS);
    this.catchUp.unref();
    this.seatRenewer = setInterval(() => void this.renewSeats(), SEAT_RENEW_MS);
    this.seatRenewer.unref();
  }

  /**
   * The seats this node's sockets hold in calls are renewed in the database: a node that dies stops
   * renewing them, and the call sweep on any node ends those calls as `lost`.
   */
  async renewSeats(): Promise<void> {
    const ids = [...this.connections].filter((c) => c.calls.any).map((c) => c.id);
    await renewCallSeats(this.db, ids).catch((err: unknown) =>
      this.log.warn({ err: { message: (err as Error).message } }, 'renewing call seats failed'),
    );
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.catchUp) clearInterval(this.catchUp);
    if (this.seatRenewer) clearInterval(this.seatRenewer);
    for (const timer of this.ringing) clearTimeout(timer);
    this.ringing.clear();
    await this.drain();
    await this.unsubscribeControl?.();
  }

  /**
   * Ends this node's sockets for a restart or stop: stops taking their frames, lets every frame
   * already received finish (a message committed and acked), then closes them with 1012, which
   * clients take as "reconnect now". What a client sent after that was never acked: it resends it.
   */
  async drain(timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    const conns = [...this.connections];
    for (const c of conns) c.stopReading();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(conns.map((c) => c.settled())), timeout]);
    clearTimeout(timer);
    for (const c of conns) c.close(CLOSE.serviceRestart, 'server restarting: reconnect now');
  }

  get size(): number {
    return this.connections.size;
  }

  /** Open sockets by principal kind, for the metrics. */
  countByKind(): { visitor: number; agent: number } {
    let agent = 0;
    for (const c of this.connections) if (c.principal.kind === 'agent') agent += 1;
    return { agent, visitor: this.connections.size - agent };
  }

  /** `transport` is the socket's TCP (or TLS) stream: its writes are corked per turn (cork.ts). */
  accept(socket: WebSocket, principal: SocketPrincipal, transport: Writable | null = null): void {
    this.counter += 1;
    const conn = new Connection(
      `${this.nodeId}:${this.counter}`,
      this,
      socket,
      principal,
      this.log,
      transport,
    );
    this.connections.add(conn);
    conn.start();
    if (principal.kind === 'agent') {
      void this.checkSessions([principal.agent.sessionId]);
      // A connected agent is present: waiting queries may go to them now.
      const { agent } = principal;
      agentConnected(this.db, this.nodeId, agent)
        .then(() => routeQueue(this.serviceDeps(), agent.workspaceId))
        .catch((err: unknown) => this.log.warn({ err }, 'presence update failed'));
    }
  }

  serviceDeps() {
    const ttl = presenceTtlMs(this.heartbeatIntervalMs);
    return { db: this.db, vault: this.vault, pubsub: this.pubsub, presenceTtlMs: ttl };
  }

  forget(conn: Connection): void {
    this.connections.delete(conn);
    const p = conn.principal;
    if (p.kind === 'agent' && ![...this.connections].some((c) => userOf(c) === p.agent.userId))
      agentDisconnected(this.db, this.nodeId, p.agent.userId).catch((err: unknown) =>
        this.log.warn({ err }, 'presence update failed'),
      );
    const id = sessionOf(conn);
    if (id && ![...this.connections].some((c) => sessionOf(c) === id)) this.sessionDeadlines.delete(id);
  }

  async join(channel: string, conn: Connection): Promise<void> {
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { conns: new Set(), ready: this.pubsub.subscribe(channel, (p) => this.dispatch(channel, p)) };
      this.channels.set(channel, entry);
    }
    entry.conns.add(conn);
    await entry.ready;
  }

  leave(channel: string, conn: Connection): void {
    const entry = this.channels.get(channel);
    if (!entry) return;
    entry.conns.delete(conn);
    if (entry.conns.size > 0) return;
    this.channels.delete(channel);
    entry.ready
      .then((unsubscribe) => unsubscribe())
      .catch((err: unknown) => this.log.warn({ err }, 'unsubscribe failed'));
  }

  /** An agent using the socket is activity: it keeps the session's idle timer fresh (throttled). */
  touch(conn: Connection): void {
    if (conn.principal.kind !== 'agent') return;
    const id = conn.principal.agent.sessionId;
    const now = clock.now();
    if (now - (this.sessionTouchedAt.get(id) ?? 0) < 30_000) return;
    this.sessionTouchedAt.set(id, now);
    touchSession(this.db, id, nowIso()).catch((err: unknown) =>
      this.log.warn({ err }, 'session touch failed'),
    );
  }

  private dispatch(channel: string, payload: string): void {
    const entry = this.channels.get(channel);
    if (!entry) return;
    if (isCallChannel(channel)) {
      const event = JSON.parse(payload) as CallEvent;
      for (const c of [...entry.conns]) c.calls.onCallEvent(event);
      return;
    }
    const event = JSON.parse(payload) as
      | ConversationEvent
      | WorkspaceEvent
      | ReceiptEvent
      | ConversationCallEvent;
    if (event.kind === 'call') {
      const frame = JSON.stringify(event.frame);
      for (const c of entry.conns)
        if (c.follows(event.conversationId) && c.calls.onVisitorEvent(event)) c.sendRaw(frame);
      return;
    }
    if (event.kind === 'receipt') {
      this.dispatchReceipt(channel, entry.conns, event);
      return;
    }
    if (event.kind === 'message') {
      const frame = JSON.stringify({ type: 'message.new', message: event.message });
      // Masked once per node, and only if a socket without personal-data.read listens.
      let masked: string | undefined;
      for (const c of entry.conns) {
        if (!c.seesPersonalData)
          masked ??= JSON.stringify({ type: 'message.new', message: maskMessage(event.message) });
        c.onMessage(event.message, c.seesPersonalData ? frame : (masked as string));
      }
      // Its author has read the conversation up to it: the other side's "Seen", their other devices.
      const receipt = authorReceipt(event.message);
      if (receipt) this.dispatchReceipt(channel, entry.conns, receipt);
    } else if (event.kind === 'scope') {
      for (const c of [...entry.conns]) c.onScopeChange(event.conversationId, event.facts);
    } else if (event.kind === 'status') {
      const { conversationId, status } = event;
      const frame = JSON.stringify({ type: 'conversation.status', conversationId, status });
      for (const c of entry.conns) if (c.follows(conversationId)) c.sendRaw(frame);
    } else if (event.kind === 'typing') {
      const { conversationId, author, state } = event;
      const frame = JSON.stringify({ type: 'typing', conversationId, author, state });
      for (const c of entry.conns) if (c.id !== event.from && c.follows(conversationId)) c.sendRaw(frame);
    } else if (event.kind === 'label-catalogue') {
      // Every inbox of the workspace: the list of labels is every member's to read.
      const frame = JSON.stringify({ type: 'labels.changed' });
      for (const c of entry.conns) c.sendRaw(frame);
    } else if (event.kind === 'labels') {
      const { conversationId, labelIds } = event;
      const frame = JSON.stringify({ type: 'conversation.labels', conversationId, labelIds });
      for (const c of entry.conns) if (c.sees(event)) c.sendRaw(frame);
    } else {
      const frame = JSON.stringify({ type: 'conversation.updated', conversation: event.conversation });
      const masked = JSON.stringify({ type: 'conversation.updated', conversation: event.masked });
      for (const c of entry.conns) {
        if (!c.sees(event)) continue;
        c.sendRaw(c.seesPersonalData ? frame : masked);
      }
    }
  }

  /**
   * A cursor moved. On a conversation's channel every follower hears it (the other side's "Seen",
   * the reader's other devices); on a workspace channel only the reader's own inbox sockets do,
   * for their unread counts: another agent's reading is nobody else's business.
   */
  private dispatchReceipt(channel: string, conns: Set<Connection>, event: ReceiptEvent): void {
    const { conversationId, reader, deliveredSeq, readSeq } = event;
    const frame = JSON.stringify({ type: 'receipt', conversationId, reader, deliveredSeq, readSeq });
    const inbox = !channel.startsWith(conversationChannel(''));
    for (const c of conns) {
      if (inbox && c.userId !== reader.id) continue;
      // A socket on the channel only for a call there does not follow the conversation.
      if (!inbox && !c.follows(conversationId)) continue;
      c.onReceipt(event.from, frame, reader.id, conversationId);
    }
  }

  /**
   * Delivery does not depend on pub/sub alone: a message committed while Redis was down, or just
   * before its node died, was never published. Every few seconds each node compares the last seq of
   * the conversations its sockets follow with the database and lets the sockets that are behind
   * read what they missed (subscription.ts), in order, once.
   */
  sweepBehind(): Promise<void> {
    if (this.sweepingBehind) return this.sweepingBehind;
    this.sweepingBehind = this.findBehind()
      .catch((err: unknown) =>
        this.log.warn({ err: { message: (err as Error).message } }, 'catch-up sweep failed'),
      )
      .finally(() => {
        this.sweepingBehind = null;
      });
    return this.sweepingBehind;
  }

  private async findBehind(): Promise<void> {
    const followers = new Map<string, Connection[]>();
    for (const c of this.connections)
      for (const id of c.subscribed) {
        const list = followers.get(id);
        if (list) list.push(c);
        else followers.set(id, [c]);
      }
    const ids = [...followers.keys()];
    for (let i = 0; i < ids.length; i += CATCH_UP_BATCH) {
      const seqs = await findLastSeqs(this.db, ids.slice(i, i + CATCH_UP_BATCH));
      for (const [id, lastSeq] of seqs) for (const c of followers.get(id) ?? []) c.behind(id, lastSeq);
    }
  }

  /** After an erasure: the visitor's sockets close, as their credentials no longer exist. */
  closeVisitor(visitorId: string): void {
    for (const c of this.connections) {
      if (c.principal.kind === 'visitor' && c.principal.visitorId === visitorId)
        c.close(CLOSE.sessionEnded, 'visitor erased');
    }
  }

  private onControl(payload: string): void {
    const event = JSON.parse(payload) as ControlEvent;
    if (event.kind === 'visitor.erased') {
      // Every node drops the erased visitor's key and closes their sockets (privacy/erase-visitor.ts).
      this.vault.forget(event.visitorId);
      for (const id of event.conversationIds) this.vault.forgetConversation(id);
      // Their calls' records are gone already: every socket in one just stops, the agent's included.
      for (const c of this.connections) c.calls.erased(event.conversationIds);
      this.closeVisitor(event.visitorId);
      return;
    }
    if (event.kind === 'scope.changed') {
      const users = new Set(event.userIds);
      for (const c of this.connections)
        if (c.userId !== null && users.has(c.userId))
          c.refreshScope((ids) => findScopeFacts(this.db, ids)).catch((err: unknown) =>
            this.log.warn({ err }, 'scope refresh failed'),
          );
      return;
    }
    if (event.kind === 'credentials.ended') {
      for (const c of this.connections) {
        const workspaceId =
          c.principal.kind === 'agent' ? c.principal.agent.workspaceId : c.principal.workspaceId;
        if (event.workspaceId === null || workspaceId === event.workspaceId)
          c.close(CLOSE.sessionEnded, 'session ended');
      }
      return;
    }
    if (event.kind !== 'session.ended') return;
    for (const c of this.connections) {
      if (c.principal.kind === 'agent' && c.principal.agent.sessionId === event.sessionId) {
        c.close(CLOSE.sessionEnded, 'session ended');
      }
    }
  }

  /** Heartbeat, and re-checks that every agent socket's session is still live. */
  private async tick(): Promise<void> {
    await inSlices(this.connections, PING_SLICE, (c) => {
      if (c.missedPongs >= 2) {
        c.close(CLOSE.heartbeatTimeout, 'heartbeat missed');
        setTimeout(() => c.terminate(), 5_000).unref();
        return;
      }
      c.missedPongs += 1;
      c.ping();
    });
    await this.closeEndedSessions().catch((err: unknown) =>
      this.log.warn({ err }, 'session re-check failed'),
    );
    const agents = new Map<string, Agent>();
    for (const c of this.connections)
      if (c.principal.kind === 'agent') agents.set(c.principal.agent.userId, c.principal.agent);
    await agentsStillConnected(this.db, this.nodeId, agents.values()).catch((err: unknown) =>
      this.log.warn({ err }, 'presence heartbeat failed'),
    );
    // Queries left waiting by a node that died between a handoff and its assignment find an agent.
    const workspaces = new Set([...agents.values()].map((a) => a.workspaceId));
    for (const workspaceId of workspaces)
      await routeQueue(this.serviceDeps(), workspaceId).catch((err: unknown) =>
        this.log.warn({ err }, 'queue routing failed'),
      );
  }

  private async closeEndedSessions(): Promise<void> {
    const ids = new Set<string>();
    for (const c of this.connections) {
      const id = sessionOf(c);
      if (id) ids.add(id);
    }
    await this.checkSessions([...ids]);
  }

  private async sweepDeadlines(): Promise<void> {
    const now = clock.now();
    const due = [...this.sessionDeadlines].filter(([, at]) => at <= now).map(([id]) => id);
    await this.checkSessions(due).catch((err: unknown) =>
      this.log.warn({ err }, 'session expiry check failed'),
    );
  }

  /** Re-reads these sessions; closes the sockets of any that ended and records the rest's deadlines. */
  private async checkSessions(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await findSessionStates(this.db, ids);
    const now = clock.now();
    const live = new Set<string>();
    for (const r of rows) {
      const deadline = Math.min(Date.parse(r.expires_at), Date.parse(r.last_seen_at) + this.sessionIdleMs);
      if (r.revoked_at || r.disabled_at || now >= deadline) continue;
      live.add(r.id);
      this.sessionDeadlines.set(r.id, deadline);
    }
    const checked = new Set(ids);
    for (const id of checked) if (!live.has(id)) this.sessionDeadlines.delete(id);
    for (const c of this.connections) {
      const id = sessionOf(c);
      if (id && checked.has(id) && !live.has(id)) c.close(CLOSE.sessionEnded, 'session ended');
    }
  }
}

const SWEEP_INTERVAL_MS = 500;
/** Sockets pinged per turn of the event loop in a heartbeat (about 2 ms of system calls). */
const PING_SLICE = 100;
/** How long a message whose publication was lost can take to reach an open socket, at most. */
const CATCH_UP_INTERVAL_MS = 3_000;
const CATCH_UP_BATCH = 500;
/** A drain waits at most this long for sockets' frames in progress (a database that hangs, say). */
const DRAIN_TIMEOUT_MS = 10_000;

function userOf(conn: Connection): string | null {
  return conn.principal.kind === 'agent' ? conn.principal.agent.userId : null;
}

function sessionOf(conn: Connection): string | null {
  return conn.principal.kind === 'agent' ? conn.principal.agent.sessionId : null;
}
