import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../../platform/db/schema.js';
import type {
  DurableSubscriber,
  InTransactionSubscriber,
  LiveSubscriber,
  StoredMessage,
} from './message-events.js';
import { OwedTurns } from './owed-turns.js';

export type { ConversationAfterSend, DurableSubscriber, OwedTurn, StoredMessage } from './message-events.js';

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
    this.turns = new OwedTurns(o.db, { durable: this.durable, log: o.log }, o.node);
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
