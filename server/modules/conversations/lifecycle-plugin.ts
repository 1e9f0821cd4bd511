import type { FastifyInstance } from 'fastify';
import { LeasedJob } from '../../platform/scheduler/leased-job.js';
import type { LifecycleDeps } from './change-conversation-status.js';
import type { MessageStream } from './message-stream.js';
import { registerVisitorReopens } from './reopen-on-visitor-message.js';
import { wakeSnoozedConversations } from './wake-snoozed-conversations.js';

export const SNOOZE_JOB = 'snooze-waker';
/** How often a node looks for snoozes that ended: a snoozed conversation reopens within this. */
export const SNOOZE_INTERVAL_SECONDS = 15;
const LEASE_MS = 60_000;
const BATCH = 200;

/** The snooze waker: on every node, and by its lease on one at a time. */
export function createSnoozeJob(
  deps: LifecycleDeps,
  o: { now?: () => Date; node?: string; log?: Pick<FastifyInstance['log'], 'info'> } = {},
): LeasedJob {
  return new LeasedJob({
    db: deps.db,
    name: SNOOZE_JOB,
    leaseMs: LEASE_MS,
    ...(o.now ? { now: o.now } : {}),
    ...(o.node ? { node: o.node } : {}),
    run: async ({ now, keepGoing }) => {
      const { woken, completed } = await wakeSnoozedConversations(deps, { now, batchSize: BATCH, keepGoing });
      if (woken > 0) o.log?.info({ job: SNOOZE_JOB, woken }, 'snoozed conversations reopened');
      return completed;
    },
  });
}

/**
 * The lifecycle's part of the app: visitors' messages reopen what waits for them (a subscriber of
 * the message command), and the snooze waker runs while the app is up.
 */
export function registerLifecycle(app: FastifyInstance, stream: MessageStream): void {
  const deps = { db: app.db, vault: app.vault, pubsub: app.pubsub };
  registerVisitorReopens(stream, deps);
  const job = createSnoozeJob(deps, { node: stream.node, log: app.log });
  app.addHook('onReady', async () =>
    job.start(SNOOZE_INTERVAL_SECONDS, (err) => app.log.warn({ err }, 'snooze waker failed')),
  );
  app.addHook('preClose', async () => job.stop());
}
