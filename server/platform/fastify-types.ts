import type { Config } from '../config.js';
import type { Db } from './db/schema.js';
import type { RefusalEvents } from './http/refusal-events.js';
import type { Mailer } from './mail/mailer.js';
import type { Metrics } from './metrics/registry.js';
import type { PubSub } from './pubsub/pubsub.js';
import type { SharedCounters } from './pubsub/shared-counters.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    dbDialect: 'sqlite' | 'postgres';
    pubsub: PubSub;
    mailer: Mailer;
    /** Prometheus metrics; `enabled` is false (nothing collected) unless the endpoint is configured. */
    metrics: Metrics;
    /** Refused origins, tickets and administration addresses, told to the security alerts. */
    refusals: RefusalEvents;
    /** Sliding windows and throttles shared by every node through Redis (per node without it). */
    sharedCounters: SharedCounters;
  }
}
