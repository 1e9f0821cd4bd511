import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db/schema.js';
import { LeasedJob } from '../../platform/scheduler/leased-job.js';
import type { Vault } from '../encryption/vault.js';
import { runRetention } from './run-retention.js';

export const RETENTION_JOB = 'retention';
const LEASE_MS = 5 * 60_000;

/** The retention scheduler of one node. Every node has one; the lease lets one run at a time. */
export function createRetentionJob(options: {
  db: Db;
  vault: Vault;
  config: Pick<Config, 'dataProtection'>;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  now?: () => Date;
  node?: string;
  /** After each run: removes attachment files no row names any more (attachments/sweep-attachment-files.ts). */
  sweepFiles?: () => Promise<number>;
}): LeasedJob {
  const job: LeasedJob = new LeasedJob({
    db: options.db,
    name: RETENTION_JOB,
    leaseMs: LEASE_MS,
    ...(options.now ? { now: options.now } : {}),
    ...(options.node ? { node: options.node } : {}),
    run: async ({ now, keepGoing, holder }) => {
      const result = await runRetention({
        db: options.db,
        vault: options.vault,
        now,
        batchSize: options.config.dataProtection.retentionBatchSize,
        node: holder,
        keepGoing,
      });
      const errors = [...result.byWorkspace.values()].filter((e) => e.error).length;
      const filesRemoved = options.sweepFiles && result.completed ? await options.sweepFiles() : 0;
      // Counts and ids of nothing: a run's log line carries no personal data.
      options.log.info(
        {
          job: RETENTION_JOB,
          node: holder,
          counts: result.totals,
          completed: result.completed,
          errors,
          filesRemoved,
        },
        'retention run',
      );
      return result.completed;
    },
  });
  return job;
}
