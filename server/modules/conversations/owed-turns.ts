import type { FastifyBaseLogger } from 'fastify';
import type { Db, MessageOutboxTable } from '../../platform/db/schema.js';
import type { DurableSubscriber, OwedTurn, StoredMessage } from './message-events.js';
import {
  claimDueTurns,
  completeTurn,
  postponeTurn,
  releaseTurns,
  renewTurns,
} from './message-outbox.repository.js';

/** How long a node may go silent on a turn before another takes it; renewed while the turn runs. */
export const TURN_LEASE_MS = 10_000;
const RENEW_EVERY_MS = 3_000;
const SWEEP_EVERY_MS = 2_000;
const SWEEP_BATCH = 50;
/** After this many failed runs a turn is dropped (logged): a reply that keeps failing is not owed forever. */
const MAX_ATTEMPTS = 5;

/**
 * Runs the turns durable subscribers owe (message-stream.ts). The node that stored a message runs
 * its turns at once, in seq order per conversation; every node also sweeps the outbox for turns
 * whose lease has passed (their node died, or a run failed and waits for its retry) and runs them.
 * Leases use the machine's clock, not the business clock tests move: they measure liveness.
 */
export class OwedTurns {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly running = new Set<string>();
  private sweeper: NodeJS.Timeout | null = null;
  private renewer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly stream: {
      readonly durable: ReadonlyMap<string, DurableSubscriber>;
      readonly log: FastifyBaseLogger;
    },
    readonly owner: string,
  ) {}

  start(): void {
    this.stopped = false;
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
    this.renewer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.renewer.unref();
  }

  /** Stops taking turns; turns still running finish, and their leases go back for another node. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.renewer) clearInterval(this.renewer);
    await this.sweeping;
    await Promise.allSettled([...this.chains.values()]);
    await releaseTurns(this.db, {
      ids: [...this.running],
      owner: this.owner,
      now: new Date().toISOString(),
    }).catch(() => undefined);
  }

  /** The turns a message just stored owes, run by this node after the commit. */
  runStored(stored: StoredMessage, owed: Array<{ id: string; subscriber: string }>): void {
    for (const turn of owed)
      this.enqueue(turn.id, turn.subscriber, {
        messageId: stored.message.id,
        conversationId: stored.message.conversation_id,
        workspaceId: stored.message.workspace_id,
        seq: stored.message.seq,
        attempt: 1,
        stored,
      });
  }

  /** One pass over the outbox: takes the turns whose lease passed. Tests call it to avoid waiting. */
  sweep(): Promise<void> {
    if (this.stopped || this.sweeping) return this.sweeping ?? Promise.resolve();
    this.sweeping = this.claim()
      .catch((err: unknown) => this.stream.log.warn({ err }, 'outbox sweep failed'))
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }

  private async claim(): Promise<void> {
    const now = Date.now();
    const rows = await claimDueTurns(this.db, {
      now: new Date(now).toISOString(),
      owner: this.owner,
      leaseUntil: new Date(now + TURN_LEASE_MS).toISOString(),
      limit: SWEEP_BATCH,
    });
    for (const row of rows.sort((a, b) => a.seq - b.seq)) this.enqueue(row.id, row.subscriber, turnOf(row));
  }

  private enqueue(id: string, subscriber: string, turn: OwedTurn): void {
    this.running.add(id);
    const key = turn.conversationId;
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.run(id, subscriber, turn))
      .finally(() => {
        this.running.delete(id);
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
  }

  private async run(id: string, name: string, turn: OwedTurn): Promise<void> {
    const subscriber = this.stream.durable.get(name);
    try {
      if (!subscriber) throw new Error(`no durable subscriber named ${name} on this node`);
      await subscriber.handle(turn);
      await completeTurn(this.db, id);
      // A later turn of the conversation may have waited for this one (store-message.ts).
      void this.sweep();
    } catch (err) {
      const log = this.stream.log;
      if (turn.attempt >= MAX_ATTEMPTS) {
        log.error({ err, subscriber: name, messageId: turn.messageId }, 'owed turn failed for good; dropped');
        await completeTurn(this.db, id).catch(() => undefined);
        return;
      }
      log.warn({ err, subscriber: name, attempt: turn.attempt }, 'owed turn failed; it will be retried');
      const retryAt = new Date(Date.now() + 1_000 * 2 ** turn.attempt).toISOString();
      await postponeTurn(this.db, { id, owner: this.owner, retryAt }).catch(() => undefined);
    }
  }

  private async renew(): Promise<void> {
    if (this.running.size === 0) return;
    await renewTurns(this.db, {
      ids: [...this.running],
      owner: this.owner,
      leaseUntil: new Date(Date.now() + TURN_LEASE_MS).toISOString(),
    }).catch((err: unknown) => this.stream.log.warn({ err }, 'outbox lease renewal failed'));
  }
}

function turnOf(row: MessageOutboxTable): OwedTurn {
  return {
    messageId: row.message_id,
    conversationId: row.conversation_id,
    workspaceId: row.workspace_id,
    seq: row.seq,
    attempt: row.attempts,
  };
}
