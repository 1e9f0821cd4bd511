import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { LeasedJob } from '../../platform/scheduler/leased-job.js';
import { recheckDirectoryAccounts } from './recheck-directory-accounts.js';

export const DIRECTORY_RECHECK_JOB = 'directory-recheck';
const LEASE_MS = 5 * 60_000;

/** The directory re-check of one node; the lease lets one node at a time run it. */
export function createDirectoryRecheckJob(options: {
  db: Db;
  ring: KeyRing;
  pubsub: PubSub;
  config: Pick<Config, 'directory'>;
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
  node?: string;
}): LeasedJob {
  return new LeasedJob({
    db: options.db,
    name: DIRECTORY_RECHECK_JOB,
    leaseMs: LEASE_MS,
    ...(options.node ? { node: options.node } : {}),
    run: async ({ keepGoing, holder }) => {
      const result = await recheckDirectoryAccounts({ ...options, keepGoing });
      // Counts only: no names, no DNs.
      const log =
        result.unreachable > 0 ? options.log.warn.bind(options.log) : options.log.info.bind(options.log);
      log({ job: DIRECTORY_RECHECK_JOB, node: holder, ...result }, 'directory re-check');
      return result.completed;
    },
  });
}
