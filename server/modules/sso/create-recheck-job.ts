import type { FastifyBaseLogger } from 'fastify';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { LeasedJob } from '../../platform/scheduler/leased-job.js';
import { recheckOidcAccounts } from './recheck-oidc-accounts.js';

export const OIDC_RECHECK_JOB = 'oidc-recheck';
/**
 * Short, and renewed before every batch: a node that dies holding it delays the next run by at most
 * this long, not by the five minutes of the slower jobs.
 */
const LEASE_MS = 60_000;

/** The OpenID Connect re-check of one node; the lease lets one node at a time run it. */
export function createOidcRecheckJob(options: {
  db: Db;
  ring: KeyRing;
  pubsub: PubSub;
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
  node?: string;
}): LeasedJob {
  return new LeasedJob({
    db: options.db,
    name: OIDC_RECHECK_JOB,
    leaseMs: LEASE_MS,
    // Every 30 s by default: without a provider there is nobody to ask, and nothing is written.
    due: async () =>
      (await options.db.selectFrom('oidc_providers').select('id').limit(1).execute()).length > 0,
    ...(options.node ? { node: options.node } : {}),
    run: async ({ keepGoing, holder }) => {
      const result = await recheckOidcAccounts({ ...options, keepGoing });
      // Counts only: no names, no subjects.
      if (result.unreachable > 0)
        options.log.warn(
          { job: OIDC_RECHECK_JOB, node: holder, ...result },
          'oidc re-check: provider unreachable',
        );
      else if (result.ended > 0 || result.roleChanges > 0)
        options.log.info({ job: OIDC_RECHECK_JOB, node: holder, ...result }, 'oidc re-check');
      return result.completed;
    },
  });
}
