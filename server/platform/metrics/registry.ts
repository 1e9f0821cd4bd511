import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { RATE_LIMIT_NAMES } from '../http/rate-limits.js';
import { listen, type SignalName, type SignalPayloads } from './signals.js';

/**
 * Every value a Parley label may take. A label is a closed list of words the code chose, never an id,
 * an address, a name or anything a caller sent: a value not on its list is counted as "other"
 * (metrics.test.ts scrapes after a whole scenario and checks every label value of every series).
 */
export const LABEL_VALUES = {
  kind: ['visitor', 'agent', 'bot', 'api', 'other'],
  mode: ['auto', 'pick', 'transfer', 'other'],
  action: ['login', 'reset', 'reset-complete', 'password-change', 'invite', 'other'],
  scope: ['account', 'ip', 'other'],
  limit: [...RATE_LIMIT_NAMES, 'ws-connections', 'frames', 'other'],
  outcome: ['completed', 'failed', 'other'],
  verdict: ['clean', 'infected', 'too_large', 'unavailable', 'other'],
} as const;
type LabelName = keyof typeof LABEL_VALUES;

function bounded(label: LabelName, value: string): string {
  return (LABEL_VALUES[label] as readonly string[]).includes(value) ? value : 'other';
}

/** Values a module reports when Prometheus scrapes (counted from the database or this node's state). */
export interface MetricSources {
  /** This node's open WebSockets by principal kind. */
  openSockets?: () => { visitor: number; agent: number };
  /** Queries waiting for an agent (every workspace), and how long the oldest has waited. */
  queue?: () => Promise<{ waiting: number; oldestWaitSeconds: number }>;
  /** Master keys in the ring, and data keys still wrapped under an older one (a rotation under way). */
  keyRing?: () => Promise<{ keys: number; dataKeysOnOlderKeys: number }>;
}

export interface Metrics {
  readonly registry: Registry;
  /** Whether anything is collected: off unless the metrics endpoint is configured. */
  readonly enabled: boolean;
  /** Modules register what is read at scrape time (app.ts). */
  provide(sources: MetricSources): void;
  /** Stops listening (the node is closing). */
  close(): void;
}

const SEND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const WAIT_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
const GROUP_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * The node's Prometheus registry. Off (enabled: false) it registers nothing and listens to nothing.
 * On, it listens to the signals (signals.ts) and asks the modules' sources at scrape time. A source
 * that fails (the database away) leaves its gauge at its last value; the error counters say why.
 */
export function createMetrics(options: { enabled: boolean }): Metrics {
  const registry = new Registry();
  const sources: MetricSources = {};
  if (!options.enabled) {
    return { registry, enabled: false, provide: () => {}, close: () => {} };
  }
  // Process and runtime: CPU, memory, handles, GC, and event-loop delay (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const r = [registry];
  const messages = new Counter({
    name: 'parley_messages_total',
    help: 'Messages stored, by author kind (resends not counted).',
    labelNames: ['kind'],
    registers: r,
  });
  const send = new Histogram({
    name: 'parley_message_send_seconds',
    help: 'Time the message command took from receiving a message to storing it durably (the ack).',
    labelNames: ['kind'],
    buckets: SEND_BUCKETS,
    registers: r,
  });
  new Gauge({
    name: 'parley_open_sockets',
    help: 'Open WebSockets on this node, by principal kind.',
    labelNames: ['kind'],
    registers: r,
    collect() {
      const counts = sources.openSockets?.() ?? { visitor: 0, agent: 0 };
      this.set({ kind: 'visitor' }, counts.visitor);
      this.set({ kind: 'agent' }, counts.agent);
    },
  });
  new Gauge({
    name: 'parley_queue_waiting',
    help: 'Queries waiting for an agent.',
    registers: r,
    async collect() {
      const q = await sources.queue?.().catch(() => null);
      if (q) this.set(q.waiting);
    },
  });
  new Gauge({
    name: 'parley_queue_oldest_wait_seconds',
    help: 'How long the longest-waiting query has waited.',
    registers: r,
    async collect() {
      const q = await sources.queue?.().catch(() => null);
      if (q) this.set(q.oldestWaitSeconds);
    },
  });
  const queueWait = new Histogram({
    name: 'parley_queue_wait_seconds',
    help: 'Time a query waited in the queue before its first assignment.',
    buckets: WAIT_BUCKETS,
    registers: r,
  });
  const assignments = new Counter({
    name: 'parley_assignments_total',
    help: 'Queries given to an agent: auto (the router), pick (an agent took it), transfer.',
    labelNames: ['mode'],
    registers: r,
  });
  const authFailures = new Counter({
    name: 'parley_auth_failures_total',
    help: 'Refused credentials, by what they were for.',
    labelNames: ['action'],
    registers: r,
  });
  const lockouts = new Counter({
    name: 'parley_auth_lockouts_total',
    help: 'Accounts or client addresses locked out after repeated failures.',
    labelNames: ['scope'],
    registers: r,
  });
  const refusals = new Counter({
    name: 'parley_rate_limit_refusals_total',
    help: 'Requests, sockets and frames refused by a limit, by limit.',
    labelNames: ['limit'],
    registers: r,
  });
  const retentionRuns = new Counter({
    name: 'parley_retention_runs_total',
    help: 'Retention passes, by outcome.',
    labelNames: ['outcome'],
    registers: r,
  });
  const retentionSeconds = new Histogram({
    name: 'parley_retention_run_seconds',
    help: 'How long a retention pass took.',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: r,
  });
  new Gauge({
    name: 'parley_key_ring_keys',
    help: 'Master keys in the key ring (the first wraps new data keys).',
    registers: r,
    async collect() {
      const k = await sources.keyRing?.().catch(() => null);
      if (k) this.set(k.keys);
    },
  });
  new Gauge({
    name: 'parley_data_keys_on_older_master_keys',
    help: 'Data keys still wrapped under a master key other than the primary: a rotation not yet finished.',
    registers: r,
    async collect() {
      const k = await sources.keyRing?.().catch(() => null);
      if (k) this.set(k.dataKeysOnOlderKeys);
    },
  });
  const dbErrors = new Counter({
    name: 'parley_database_errors_total',
    help: 'Database failures under the node: lost connections, an unavailable server or disk.',
    registers: r,
  });
  const pubsubErrors = new Counter({
    name: 'parley_pubsub_errors_total',
    help: 'Pub/sub (Redis) connection errors.',
    registers: r,
  });
  const commitGroups = new Histogram({
    name: 'parley_commit_group_size',
    help: 'Writers (SQLite) or sends (PostgreSQL) whose work one group commit made durable at once.',
    buckets: GROUP_BUCKETS,
    registers: r,
  });
  const scans = new Counter({
    name: 'parley_attachment_scans_total',
    help: 'Uploaded files scanned by clamd, by verdict (unavailable: clamd down or slow, the upload refused).',
    labelNames: ['verdict'],
    registers: r,
  });
  const scanSeconds = new Histogram({
    name: 'parley_attachment_scan_seconds',
    help: 'How long a clamd scan of one uploaded file took.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: r,
  });
  dbErrors.inc(0);
  pubsubErrors.inc(0);

  const stops: Array<() => void> = [];
  const on = <K extends SignalName>(name: K, fn: (p: SignalPayloads[K]) => void) =>
    stops.push(listen(name, fn));
  on('message.stored', (p) => {
    const kind = bounded('kind', p.kind);
    messages.inc({ kind });
    send.observe({ kind }, p.seconds);
  });
  on('handoff.assigned', (p) => {
    assignments.inc({ mode: bounded('mode', p.mode) });
    if (p.waitSeconds !== null) queueWait.observe(Math.max(0, p.waitSeconds));
  });
  on('auth.failed', (p) => authFailures.inc({ action: bounded('action', p.action) }));
  on('auth.locked', (p) => lockouts.inc({ scope: bounded('scope', p.scope) }));
  on('limit.refused', (p) => refusals.inc({ limit: bounded('limit', p.limit) }));
  on('attachment.scanned', (p) => {
    scans.inc({ verdict: bounded('verdict', p.verdict) });
    scanSeconds.observe(p.seconds);
  });
  on('retention.run', (p) => {
    retentionRuns.inc({ outcome: bounded('outcome', p.outcome) });
    retentionSeconds.observe(p.seconds);
  });
  on('database.error', () => dbErrors.inc());
  on('pubsub.error', () => pubsubErrors.inc());
  on('db.commit-group', (p) => commitGroups.observe(p.size));

  return {
    registry,
    enabled: true,
    provide: (more) => Object.assign(sources, more),
    close: () => {
      for (const stop of stops.splice(0)) stop();
      registry.clear();
    },
  };
}
