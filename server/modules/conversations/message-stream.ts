import type { FastifyBaseLogger } from 'fastify';
import type { ConversationsTable, Db, Executor, MessagesTable } from '../../platform/db/schema.js';
import { OwedTurns } from './owed-turns.js';

/** A message as its commit left it: the row (body in plaintext) and its conversation. */
export interface StoredMessage {
  message: MessagesTable;
  conversation: ConversationsTable;
}

/** A turn a durable subscriber owes one stored message. */
export interface OwedTurn {
  messageId: string;
  conversationId: string;
  workspaceId: string;
  seq: number;
  /** 1 on the first run; more after a failure or after the node that stored it died. */
  attempt: number;
  /** The message as stored, when the node that stored it runs the turn (no read needed). */
  stored?: StoredMessage;
}

/**
 * A subscriber whose work must survive the node: whether it owes a turn is decided inside the
 * message's transaction and recorded in the outbox with it, so a crash between the ack and the turn
 * leaves the turn to be done later, by this node after restart or by another. `handle` may run again
 * for the same message (a crash after its work but before its completion is recorded), so it must be
 * idempotent: replies derive their client ids from the message.
 */
export interface DurableSubscriber {
  /** Decided without I/O from the stored message and its conversation. */
  wants(stored: StoredMessage): boolean;
  handle(turn: OwedTurn): Promise<void>;
}

/** Work that commits with the message (it sees the transaction): the query's state, for one. */
export type InTransactionSubscriber = (trx: Executor, stored: StoredMessage) => Promise<void>;
/** Work after the commit, on the node that stored the message; best effort (inbox updates). */
export type LiveSubscriber = (stored: StoredMessage) => Promise<void>;

/**
 * The one stream every stored message goes through (`message.created`): the message command
 * (post-message.ts) calls its subscribers; modules subscribe at start (app.ts) instead of being
 * called from the transport. It knows no module: subscribers bring their own dependencies.
 */
export class MessageStream {
  private readonly inTransaction: InTransactionSubscriber[] = [];
  private readonly live: LiveSubscriber[] = [];
  readonly durable = new Map<string, DurableSubscriber>();
  /** Runs the owed turns: this node's at once, and anyone's whose lease has passed. */
  readonly turns: OwedTurns;
  readonly log: FastifyBaseLogger;
  /** This node, as it leases the turns it owes. */
  readonly node: string;

  constructor(o: { db: Db; log: FastifyBaseLogger; node: string }) {
    this.log = o.log;
    this.node = o.node;
    this.turns = new OwedTurns(o.db, this, o.node);
  }

  onStore(subscriber: InTransactionSubscriber): void {
    this.inTransaction.push(subscriber);
  }

  onCreated(subscriber: LiveSubscriber): void {
    this.live.push(subscriber);
  }

  /** `name` is stored in the outbox: keep it stable across releases. */
  owe(name: string, subscriber: DurableSubscriber): void {
    if (this.durable.has(name)) throw new Error(`durable subscriber ${name} registered twice`);
    this.durable.set(name, subscriber);
  }

  /** Inside the message's transaction: runs the in-transaction subscribers; names the turns owed. */
  async stored(trx: Executor, stored: StoredMessage): Promise<string[]> {
    for (const subscriber of this.inTransaction) await subscriber(trx, stored);
    const owed: string[] = [];
    for (const [name, subscriber] of this.durable) if (subscriber.wants(stored)) owed.push(name);
    return owed;
  }

  /** After the commit. A failing subscriber is logged; the others still run. */
  async created(stored: StoredMessage): Promise<void> {
    for (const subscriber of this.live) {
      try {
        await subscriber(stored);
      } catch (err) {
        this.log.warn({ err }, 'message subscriber failed');
      }
    }
  }
}
