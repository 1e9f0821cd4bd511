import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { indexBacklog } from './index-backlog.js';

/** After a message, the indexer waits this long so that one batch takes the messages around it. */
const NUDGE_DELAY_MS = 200;
/** What other nodes left (they died, or their batch failed) is looked for this often. */
const SWEEP_INTERVAL_MS = 5_000;
/** Messages per batch: the write that ends a batch stays short, so senders never wait long behind it. */
const BATCH = 100;

/**
 * Takes the search backlog (index-message.ts) into the index in batches: nudged after each stored
 * message, and every few seconds for what anyone left. Runs are serialised on this node; two nodes
 * never index a message twice (index-backlog.ts).
 */
export class SearchIndexer {
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly deps: { db: Db; vault: Vault; log: FastifyBaseLogger }) {}

  start(): void {
    this.sweeper = setInterval(() => this.nudge(0), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
    this.nudge(0);
  }

  /** A message was stored: index it (and its neighbours) shortly. */
  nudge(delayMs = NUDGE_DELAY_MS): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err: unknown) =>
        this.deps.log.warn({ err: { message: (err as Error).message } }, 'search indexing failed'),
      );
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Indexes what is waiting now, up to `maxBatches` batches, after any run already going (which may
   * have started before the newest messages were stored).
   */
  async flush(maxBatches = Number.POSITIVE_INFINITY): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    if (this.stopped) return;
    this.running = this.run(maxBatches).finally(() => {
      this.running = null;
    });
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.sweeper);
    while (this.running) await this.running.catch(() => undefined);
  }

  private async run(maxBatches: number): Promise<void> {
    for (let i = 0; i < maxBatches && !this.stopped; i += 1) {
      const taken = await indexBacklog(this.deps, { limit: BATCH });
      if (taken < BATCH) return;
    }
  }
}
