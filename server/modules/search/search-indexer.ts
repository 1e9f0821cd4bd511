import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../platform/db/schema.js';
import { WorkerClient } from '../../platform/workers/worker-client.js';
import type { Vault } from '../encryption/vault.js';
import { type IndexWorker, indexBacklog } from './index-backlog.js';

/** After a message, the indexer waits this long so that one batch takes the messages around it. */
const NUDGE_DELAY_MS = 200;
/** What other nodes left (they died, or their batch failed) is looked for this often. */
const SWEEP_INTERVAL_MS = 5_000;
/** Messages per batch: the write that ends a batch stays short, so senders never wait long behind it. */
const BATCH = 100;
/** What a stopping node still indexes of the backlog, at most (batches). */
const SHUTDOWN_BATCHES = 5;
/** Batches one background run takes before it lets others (a search's catch-up) go first. */
const RUN_BATCHES = 10;

/**
 * Takes the search backlog (index-message.ts) into the index in batches: nudged after each stored
 * message, and every few seconds for what anyone left. Runs are serialised on this node; two nodes
 * never index a message twice (index-backlog.ts).
 */
export class SearchIndexer {
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | null = null;
  private stopped = false;
  /** Set when the node stops: a long run ends after its batch, and only a bounded flush follows. */
  private stopping = false;
  /** Messages are opened and their terms hashed on this worker thread (index-worker.ts), off the event loop. */
  private readonly worker: IndexWorker = new WorkerClient(
    new URL('./index-worker.js', import.meta.url),
    'search index worker',
  );

  constructor(private readonly deps: { db: Db; vault: Vault; log: FastifyBaseLogger }) {}

  start(): void {
    this.sweeper = setInterval(() => this.nudge(0), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
    this.nudge(0);
  }

  /** A message was stored: index it (and its neighbours) shortly. */
  nudge(delayMs = NUDGE_DELAY_MS): void {
    if (this.stopped || this.stopping || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush(RUN_BATCHES)
        // More than a run takes is waiting: the next run follows, and a search can go between.
        .then((more) => (more ? this.nudge(0) : undefined))
        .catch((err: unknown) =>
          this.deps.log.warn({ err: { message: (err as Error).message } }, 'search indexing failed'),
        );
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Indexes what is waiting now, up to `maxBatches` batches, after any run already going (which may
   * have started before the newest messages were stored). True when more is still waiting.
   */
  async flush(maxBatches: number): Promise<boolean> {
    while (this.running) await this.running.catch(() => false);
    if (this.stopped) return false;
    const run = this.run(maxBatches);
    // What waits behind this run only needs to know that it ended. Its failure goes to the caller
    // below: a second promise rejecting with it would be a rejection nobody handles.
    this.running = run
      .then(
        (more) => more,
        () => false,
      )
      .finally(() => {
        this.running = null;
      });
    return run;
  }

  /**
   * Stops nudges and the sweep, then indexes what this node's last messages left (a few batches at
   * most; anything beyond waits for the next start or another node's sweep).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    clearInterval(this.sweeper);
    try {
      while (this.running) await this.running.catch(() => undefined);
      this.stopping = false;
      await this.flush(SHUTDOWN_BATCHES);
    } catch (err) {
      this.deps.log.warn({ err: { message: (err as Error).message } }, 'search indexing at shutdown failed');
    }
    this.stopped = true;
    clearTimeout(this.timer);
    await this.worker.close();
  }

  private async run(maxBatches: number): Promise<boolean> {
    for (let i = 0; i < maxBatches && !this.stopped && !this.stopping; i += 1) {
      const taken = await indexBacklog({ ...this.deps, worker: this.worker }, { limit: BATCH });
      if (taken < BATCH) return false;
    }
    return true;
  }
}
