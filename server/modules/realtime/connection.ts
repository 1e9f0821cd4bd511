import type { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Author, Message } from '../../../protocol/common.js';
import { ERROR_MESSAGES } from '../../../protocol/errors.js';
import { LIMITS } from '../../../protocol/limits.js';
import { can, SOCKET_ACTION_PERMISSIONS, VISITOR_SOCKET_ACTIONS } from '../../../protocol/permissions.js';
import type { ClientFrame, Principal, ServerFrame } from '../../../protocol/ws.js';
import { CLOSE } from '../../../protocol/ws-close-codes.js';
import { AppError } from '../../errors.js';
import { corkForThisTurn } from '../../platform/cork.js';
import { isDatabaseUnavailable } from '../../platform/db/unavailable.js';
import { emit } from '../../platform/metrics/signals.js';
import type { WorkspaceEvent } from '../conversations/events.js';
import { conversationChannel, publishTyping, workspaceChannel } from '../conversations/events.js';
import { findConversationById } from '../conversations/lookups.js';
import { markRead } from '../conversations/mark-read.js';
import { postMessage } from '../conversations/post-message.js';
import { cursorsFor } from '../conversations/read-cursors.js';
import {
  inScope,
  isConfined,
  mayAccessConversation,
  type Scope,
  type ScopeFacts,
  scopeOfAgent,
} from '../handoff/scope.js';
import { readMessagesFor } from '../privacy/read-messages.js';
import { CallSeats, type CallSocket } from './call-seats.js';
import type { FrameProblem } from './frames.js';
import { parseClientFrame } from './frames.js';
import type { SocketPrincipal } from './handshake.js';
import { TokenBucket } from './rate-limiter.js';
import type { SocketHost } from './socket-host.js';
import { Subscription } from './subscription.js';

/** A socket whose unsent output passes this is too slow to keep up; it is closed and may resume. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const OPEN = 1;

export class Connection implements CallSocket {
  missedPongs = 0;
  private readonly subs = new Map<string, Subscription>();
  private readonly authorized = new Set<string>();
  private inbox = false;
  /**
   * The cursor this socket last stored or was answered per conversation (receipt()); made at the
   * first receipt, so an idle socket does not carry an empty Map.
   */
  private cursors: Map<string, { deliveredSeq: number; readSeq: number }> | undefined;
  private strikes = 0;
  private draining = false;
  /** Frames of one socket are handled one after another, so a sender's messages keep their order. */
  private queue: Promise<void> = Promise.resolve();
  private readonly bucket = new TokenBucket(LIMITS.framesPerSecond, LIMITS.frameBurst);
  /** Visitors see their own conversation as it is; agents see personal data only if their role may. */
  readonly seesPersonalData: boolean;
  /**
   * Where this socket may look (handoff/scope.ts): a visitor's own conversations; an agent's as
   * their role and teams allow, read when first needed and again when their teams change.
   */
  private scope: Scope | null;
  /** The calls this socket offered or sits in (call-seats.ts). */
  readonly calls: CallSeats<Connection>;

  constructor(
    readonly id: string,
    private readonly hub: SocketHost<Connection>,
    private readonly socket: WebSocket,
    readonly principal: SocketPrincipal,
    private readonly log: FastifyBaseLogger,
    private readonly transport: Writable | null = null,
  ) {
    this.seesPersonalData = principal.kind === 'visitor' || can(principal.agent.role, 'personal-data.read');
    this.scope =
      principal.kind === 'visitor'
        ? { kind: 'visitor', workspaceId: principal.workspaceId, visitorId: principal.visitorId }
        : null;
    this.calls = new CallSeats<Connection>(this, hub, log);
  }

  get open(): boolean {
    return this.socket.readyState === OPEN;
  }

  /** Attaches listeners synchronously, so no frame that arrives early is lost. */
  start(): void {
    this.socket.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    this.socket.on('pong', () => {
      this.missedPongs = 0;
    });
    this.socket.on('close', () => this.dispose());
    this.socket.on('error', (err) => this.log.debug({ err: err.message }, 'socket error'));
    this.sendFrame({
      type: 'welcome',
      principal: this.publicPrincipal(),
      heartbeatIntervalMs: this.hub.heartbeatIntervalMs,
      maxFrameBytes: LIMITS.maxFrameBytes,
    });
  }

  sendRaw(frame: string): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CLOSE.policyViolation, 'too slow: reconnect and resume');
      return;
    }
    if (this.transport) corkForThisTurn(this.transport);
    this.socket.send(frame);
  }

  sendFrame(frame: ServerFrame | object): void {
    this.sendRaw(JSON.stringify(frame));
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState <= OPEN) this.socket.close(code, reason);
  }

  ping(): void {
    if (this.open) this.socket.ping();
  }

  /**
   * A drain: frames that arrive from now on are dropped unanswered (never acked, so the client sends
   * them again after reconnecting); those already received are still handled.
   */
  stopReading(): void {
    this.draining = true;
  }

  /** Resolves once every frame received so far is handled: its message committed and acked. */
  async settled(): Promise<void> {
    for (let queue = this.queue; ; queue = this.queue) {
      await queue;
      if (queue === this.queue) return;
    }
  }

  terminate(): void {
    this.socket.terminate();
  }

  onMessage(message: Message, frame: string): void {
    this.subs.get(message.conversationId)?.onLive(message, frame);
  }

  /**
   * Nothing a client sends may throw out of the socket's listener: there it would end the process
   * for every socket of the node. A frame that fails here is answered like any server fault.
   */
  private receive(data: Buffer, isBinary: boolean): void {
    if (this.draining) return;
    try {
      this.onData(data, isBinary);
    } catch (err) {
      this.log.error({ err }, 'frame handling failed');
      this.sendError({ code: 'internal_error' });
    }
  }

  private onData(data: Buffer, isBinary: boolean): void {
    const parsed = parseClientFrame(data, isBinary);
    if (!this.bucket.take()) {
      emit('limit.refused', { limit: 'frames' });
      this.strikes += 1;
      if (this.strikes >= LIMITS.rateLimitStrikes) {
        this.close(CLOSE.rateLimited, 'rate limit exceeded');
        return;
      }
      const frame = 'frame' in parsed ? parsed.frame : undefined;
      this.sendError({
        code: 'rate_limited',
        ...(frame?.rid ? { rid: frame.rid } : {}),
        ...(frame?.type === 'message.send' ? { clientId: frame.clientId } : {}),
      });
      return;
    }
    this.strikes = 0;
    if ('problem' in parsed) {
      this.sendError(parsed.problem);
      return;
    }
    const frame = parsed.frame;
    this.queue = this.queue
      .then(() => this.handle(frame))
      .catch((err: unknown) => {
        const context = {
          ...(frame.rid ? { rid: frame.rid } : {}),
          ...(frame.type === 'message.send'
            ? { clientId: frame.clientId, conversationId: frame.conversationId }
            : {}),
        };
        if (err instanceof AppError) {
          this.sendError({ code: err.code, ...context, ...(err.details ? { details: err.details } : {}) });
          return;
        }
        // Nothing was stored: the client resends with the same client id once the database is back.
        if (isDatabaseUnavailable(err)) {
          this.log.warn(
            { err: { message: (err as Error).message }, frameType: frame.type },
            'database unavailable',
          );
          this.sendError({ code: 'service_unavailable', ...context });
          return;
        }
        this.log.error({ err, frameType: frame.type }, 'frame handling failed');
        this.sendError({ code: 'internal_error', ...context });
      });
  }

  private async handle(frame: ClientFrame): Promise<void> {
    this.assertMayUse(frame.type);
    switch (frame.type) {
      case 'ping':
        this.sendFrame({ type: 'pong', ...(frame.rid ? { rid: frame.rid } : {}) });
        return;
      case 'subscribe': {
        await this.authorize(frame.conversationId);
        this.subs.delete(frame.conversationId);
        const read = readMessagesFor(this.hub, frame.conversationId, { personalData: this.seesPersonalData });
        const sub = new Subscription(read, this, frame.conversationId, frame.afterSeq, (err, replay) =>
          this.subscriptionFailed(frame.conversationId, err, replay),
        );
        this.subs.set(frame.conversationId, sub);
        // Join the channel first: nothing published from here on can fall between replay and live.
        await this.hub.join(conversationChannel(frame.conversationId), this);
        sub.replay(frame.rid, async () => ({
          cursors: await cursorsFor(this.hub.db, frame.conversationId, this.reader()),
          // A client that reconnects learns a status change it missed while its socket was down.
          status: (await findConversationById(this.hub.db, frame.conversationId))?.status ?? 'open',
        }));
        return;
      }
      case 'receipt':
        await this.authorize(frame.conversationId);
        await this.receipt(frame);
        return;
      case 'unsubscribe':
        if (this.subs.delete(frame.conversationId) && !this.calls.holds(frame.conversationId))
          this.hub.leave(conversationChannel(frame.conversationId), this);
        this.sendFrame({
          type: 'unsubscribed',
          ...(frame.rid ? { rid: frame.rid } : {}),
          conversationId: frame.conversationId,
        });
        return;
      case 'message.send': {
        this.hub.messageBudget.spend(this.principal);
        await this.authorize(frame.conversationId);
        this.hub.touch(this);
        // The command stores, publishes and hands the message to its subscribers (the bot among
        // them); the socket only acks, as soon as the message is durable.
        await postMessage(this.hub.messages, {
          conversationId: frame.conversationId,
          author: this.author(),
          clientId: frame.clientId,
          body: frame.body,
          ...(frame.action ? { action: frame.action } : {}),
          ...(frame.attachmentIds ? { attachmentIds: frame.attachmentIds } : {}),
          onStored: (result) =>
            this.sendFrame({
              type: 'message.ack',
              ...(frame.rid ? { rid: frame.rid } : {}),
              conversationId: frame.conversationId,
              clientId: frame.clientId,
              seq: result.message.seq,
              createdAt: result.message.created_at,
              duplicate: result.duplicate,
            }),
        });
        return;
      }
      case 'typing':
        await this.authorize(frame.conversationId);
        await publishTyping({
          pubsub: this.hub.pubsub,
          conversationId: frame.conversationId,
          author: this.author(),
          state: frame.state,
          from: this.id,
        });
        return;
      case 'inbox.subscribe':
        if (this.principal.kind !== 'agent') throw new AppError('forbidden');
        if (!this.inbox) {
          await this.currentScope();
          this.inbox = true;
          await this.hub.join(workspaceChannel(this.principal.agent.workspaceId), this);
        }
        this.sendFrame({ type: 'inbox.subscribed', ...(frame.rid ? { rid: frame.rid } : {}) });
        return;
      case 'call.offer':
      case 'call.token':
      case 'call.join':
      case 'call.decline':
      case 'call.end':
      case 'call.signal':
        await this.calls.handle(frame);
        return;
    }
  }

  /**
   * A receipt that moves nothing (the client already said as much) is answered from memory: a
   * client sending one per message it shows costs a write only when its cursor really moves.
   */
  private async receipt(frame: Extract<ClientFrame, { type: 'receipt' }>): Promise<void> {
    const known = this.cursors?.get(frame.conversationId);
    const moves = !known || frame.seq > (frame.state === 'read' ? known.readSeq : known.deliveredSeq);
    const cursor = moves
      ? await markRead(this.hub, {
          workspaceId:
            this.principal.kind === 'agent' ? this.principal.agent.workspaceId : this.principal.workspaceId,
          conversationId: frame.conversationId,
          reader: this.reader(),
          state: frame.state,
          seq: frame.seq,
          from: this.id,
        })
      : known;
    this.cursors ??= new Map();
    if (this.cursors.size > 1000) this.cursors.clear();
    this.cursors.set(frame.conversationId, cursor);
    this.sendFrame({
      type: 'receipt',
      ...(frame.rid ? { rid: frame.rid } : {}),
      conversationId: frame.conversationId,
      reader: this.reader(),
      ...cursor,
    });
  }

  /** A receipt from pub/sub: to this socket unless it sent it (it was answered directly). */
  onReceipt(from: string | null, frame: string, readerId: string, conversationId: string): void {
    if (from === this.id) return;
    if (this.readerId() === readerId) this.cursors?.delete(conversationId);
    this.sendRaw(frame);
  }

  private reader(): { kind: 'visitor' | 'agent'; id: string } {
    return { kind: this.principal.kind, id: this.readerId() };
  }

  private readerId(): string {
    return this.principal.kind === 'agent' ? this.principal.agent.userId : this.principal.visitorId;
  }

  private assertMayUse(type: ClientFrame['type']): void {
    const p = this.principal;
    if (p.kind === 'visitor') {
      if (!VISITOR_SOCKET_ACTIONS.has(type)) throw new AppError('forbidden');
      return;
    }
    const permission = SOCKET_ACTION_PERMISSIONS[type];
    if (permission && !can(p.agent.role, permission)) throw new AppError('forbidden');
  }

  /** Outside the principal's scope answers exactly like a conversation that does not exist. */
  async authorize(conversationId: string): Promise<void> {
    if (this.authorized.has(conversationId)) return;
    if (!(await mayAccessConversation(this.hub.db, await this.currentScope(), conversationId)))
      throw new AppError('conversation_not_found');
    // A confined agent's access ends with a transfer: it is checked again on every frame.
    if (this.principal.kind === 'agent' && isConfined(this.principal.agent)) return;
    if (this.authorized.size > 1000) this.authorized.clear();
    this.authorized.add(conversationId);
  }

  private async currentScope(): Promise<Scope> {
    if (this.scope) return this.scope;
    if (this.principal.kind !== 'agent') throw new Error('a visitor socket has its scope from the start');
    this.scope = await scopeOfAgent(this.hub.db, this.principal.agent);
    return this.scope;
  }

  /**
   * Whether an inbox update reaches this socket: what its scope reaches, and (for a summary) a query
   * it just lost.
   */
  sees(event: Exclude<WorkspaceEvent, { kind: 'label-catalogue' }>): boolean {
    if (!this.scope) return false;
    if (
      event.kind === 'conversation' &&
      this.principal.kind === 'agent' &&
      event.formerAssigneeId === this.principal.agent.userId
    )
      return true;
    return inScope(event.scope, this.scope);
  }

  /**
   * A conversation's facts changed (assignment, transfer, resolution). If this socket's scope no
   * longer reaches it, it stops following it now: no further message, typing or update arrives,
   * and the client is told why.
   */
  onScopeChange(conversationId: string, facts: ScopeFacts): void {
    // A call is the handling agent's: handed to someone else, the conversation's call ends.
    if (
      this.principal.kind === 'agent' &&
      facts.assigneeId !== null &&
      facts.assigneeId !== this.principal.agent.userId
    )
      this.calls.scopeLost(conversationId);
    if (!this.scope || inScope(facts, this.scope)) return;
    this.authorized.delete(conversationId);
    this.calls.scopeLost(conversationId);
    if (!this.subs.delete(conversationId)) return;
    if (!this.calls.holds(conversationId)) this.hub.leave(conversationChannel(conversationId), this);
    this.sendFrame({ type: 'unsubscribed', conversationId, reason: 'access_ended' });
  }

  /** The agent's teams changed: read the scope again and drop what it no longer reaches. */
  async refreshScope(facts: (ids: string[]) => Promise<Map<string, ScopeFacts>>): Promise<void> {
    if (this.principal.kind !== 'agent' || !this.scope) return;
    this.scope = await scopeOfAgent(this.hub.db, this.principal.agent);
    const known = await facts([...this.subs.keys()]);
    for (const id of [...this.subs.keys()]) {
      const f = known.get(id);
      if (f) this.onScopeChange(id, f);
    }
  }

  /** Whether this socket follows the conversation (subscribed to it). */
  follows(conversationId: string): boolean {
    return this.subs.has(conversationId);
  }

  /** Who this socket is, as a party to calls. */
  party() {
    const p = this.principal;
    return p.kind === 'agent'
      ? {
          role: 'agent' as const,
          id: p.agent.userId,
          workspaceId: p.agent.workspaceId,
          connectionId: this.id,
          name: p.agent.name,
        }
      : {
          role: 'visitor' as const,
          id: p.visitorId,
          workspaceId: p.workspaceId,
          connectionId: this.id,
          name: p.name,
        };
  }

  /** Which agent this socket belongs to, if any. */
  get userId(): string | null {
    return this.principal.kind === 'agent' ? this.principal.agent.userId : null;
  }

  private author(): Author {
    const p = this.principal;
    return p.kind === 'agent'
      ? { kind: 'agent', id: p.agent.userId, name: p.agent.name }
      : { kind: 'visitor', id: p.visitorId, name: p.name };
  }

  private publicPrincipal(): Principal {
    const p = this.principal;
    return p.kind === 'agent'
      ? { kind: 'agent', userId: p.agent.userId, workspaceId: p.agent.workspaceId, name: p.agent.name }
      : {
          kind: 'visitor',
          visitorId: p.visitorId,
          workspaceId: p.workspaceId,
          conversationId: p.conversationId,
          name: p.name,
        };
  }

  private sendError(problem: FrameProblem & { conversationId?: string }): void {
    this.sendFrame({ type: 'error', ...problem, message: ERROR_MESSAGES[problem.code] });
  }

  /**
   * A read of missed messages failed. During a live catch-up the hub's next sweep tries again. A
   * failed replay ends the subscription and tells the client, which subscribes again from its last
   * seq (nothing it has is lost; nothing is skipped).
   */
  private subscriptionFailed(
    conversationId: string,
    err: unknown,
    replay: { rid: string | undefined } | null,
  ): void {
    const unavailable = isDatabaseUnavailable(err);
    if (unavailable) this.log.warn({ err: { message: (err as Error).message } }, 'catch-up read failed');
    else this.log.error({ err }, 'catch-up read failed');
    if (!replay) return;
    const rid = replay.rid;
    if (this.subs.delete(conversationId) && !this.calls.holds(conversationId))
      this.hub.leave(conversationChannel(conversationId), this);
    this.sendError({
      code: unavailable ? 'service_unavailable' : 'internal_error',
      conversationId,
      ...(rid ? { rid } : {}),
    });
  }

  /** The database has messages past what this socket has seen (pub/sub lost some): read them. */
  behind(conversationId: string, lastSeq: number): void {
    this.subs.get(conversationId)?.onBehind(lastSeq);
  }

  /** The conversations this socket follows, for the hub's catch-up sweep. */
  get subscribed(): Iterable<string> {
    return this.subs.keys();
  }

  private dispose(): void {
    this.calls.dispose();
    for (const id of this.subs.keys()) this.hub.leave(conversationChannel(id), this);
    this.subs.clear();
    if (this.inbox && this.principal.kind === 'agent')
      this.hub.leave(workspaceChannel(this.principal.agent.workspaceId), this);
    this.hub.forget(this);
  }
}
