import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Db } from '../db/schema.js';
import { claimLease, ensureLeaseRow, releaseLease } from './lease.repository.js';

export type JobOutcome = 'ran' | 'busy' | 'interrupted';

/**
 * A job that runs on exactly one node at a time: every node ticks, and a tick runs the job only if it
 * takes the lease in the database. The job renews the lease before each batch (`keepGoing`); a node
 * that loses it (paused past the lease) stops before its next batch.
 */
export class LeasedJob {
  readonly holder: string;
  private cron: Cron | null = null;
  private running: Promise<JobOutcome> | null = null;

  constructor(
    private readonly options: {
      db: Db;
      name: string;
      leaseMs: number;
      /** The job's clock: tests move it; it also dates the lease. */
      now?: () => Date;
      node?: string;
      run: (ctx: { now: Date; keepGoing: () => Promise<boolean>; holder: string }) => Promise<boolean>;
      /**
       * Whether there is anything to do at all (a read): when not, the tick takes no lease and writes
       * nothing, so a job that ticks often costs an idle installation no writes.
       */
      due?: () => Promise<boolean>;
    },
  ) {
    this.holder = options.node ?? randomUUID().slice(0, 8);
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  /** One attempt: 'busy' when another node holds the lease (or this node is still running). */
  tick(): Promise<JobOutcome> {
    if (this.running) return Promise.resolve('busy');
    this.running = this.attempt().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async attempt(): Promise<JobOutcome> {
    const { db, name, leaseMs } = this.options;
    if (this.options.due && !(await this.options.due())) return 'ran';
    await ensureLeaseRow(db, name);
    const claim = () => {
      const now = this.now();
      return claimLease(db, {
        name,
        holder: this.holder,
        now: now.toISOString(),
        expiresAt: new Date(now.getTime() + leaseMs).toISOString(),
      });
    };
    if (!(await claim())) return 'busy';
    let completed = false;
    try {
      completed = await this.options.run({ now: this.now(), keepGoing: claim, holder: this.holder });
      return completed ? 'ran' : 'interrupted';
    } finally {
      const now = this.now().toISOString();
      await releaseLease(db, { name, holder: this.holder, now, ranAt: completed ? now : null });
    }
  }

  /** Ticks every `intervalSeconds` with croner; overlapping ticks on one node are skipped. */
  start(intervalSeconds: number, onError: (err: unknown) => void): void {
    this.cron = new Cron(
      '* * * * * *',
      { interval: intervalSeconds, protect: true, unref: true },
      async () => {
        await this.tick().catch(onError);
      },
    );
  }

  async stop(): Promise<void> {
    this.cron?.stop();
    this.cron = null;
    await this.running?.catch(() => undefined);
  }
}
