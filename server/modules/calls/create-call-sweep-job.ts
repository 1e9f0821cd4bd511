import type { FastifyBaseLogger } from 'fastify';
import { LeasedJob } from '../../platform/scheduler/leased-job.js';
import { anyLiveCall } from './call.repository.js';
import type { CallDeps } from './call-deps.js';
import { sweepCalls } from './sweep-calls.js';

export const CALL_SWEEP_JOB = 'call-sweep';
/** How often a node looks for calls to end: a lost call ends within SEAT_STALE_MS and this. */
export const CALL_SWEEP_INTERVAL_SECONDS = 5;
const LEASE_MS = 60_000;
const BATCH = 100;

/** The call sweep of one node. Every node has one; the lease lets one run at a time. */
export function createCallSweepJob(
  deps: CallDeps,
  o: { now?: () => Date; node?: string; log?: Pick<FastifyBaseLogger, 'info'> } = {},
): LeasedJob {
  return new LeasedJob({
    db: deps.db,
    name: CALL_SWEEP_JOB,
    leaseMs: LEASE_MS,
    ...(o.now ? { now: o.now } : {}),
    ...(o.node ? { node: o.node } : {}),
    // No live call, nothing to end: an idle installation's sweep reads and writes nothing more.
    due: () => anyLiveCall(deps.db),
    run: async ({ now, keepGoing }) => {
      const { missed, lost, completed } = await sweepCalls(deps, { now, batchSize: BATCH, keepGoing });
      if (missed + lost > 0) o.log?.info({ job: CALL_SWEEP_JOB, missed, lost }, 'calls ended by the sweep');
      return completed;
    },
  });
}
