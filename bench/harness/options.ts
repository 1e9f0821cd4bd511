import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { System } from '../generator/plan.js';
import { ROOT } from './processes.js';

export const SCENARIOS = [
  'throughput',
  'latency',
  'idle',
  'durability',
  'two-nodes',
  'workers',
  'latency-postgres',
  'widget-weight',
  'widget-start',
  'search',
  'uploads',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Options {
  quick: boolean;
  scenarios: ScenarioName[];
  systems: System[];
  /** Two nodes: always when asked, otherwise in full runs when PostgreSQL and Redis answer. */
  twoNodes: 'yes' | 'if-available' | 'no';
  competitors: boolean;
  profileDir: string | null;
  /** Where Parley nodes write their SQLite statement counts (`--statements`), or null. */
  statementsDir: string | null;
  /** `--gc`: Parley nodes trace their collections, and the load scenarios report them (gc-trace.ts). */
  gc: boolean;
  /** Node or V8 flags for every Parley node (`--node-flags`), e.g. a larger young generation. */
  nodeFlags: string[];
  resultsDir: string;
  cacheDir: string;
  postgresUrl: string;
  redisUrl: string;
  chromium: string;
  /** clamd's Unix socket for the uploads scenario's scanning variant (skipped when it does not answer). */
  clamdSocket: string;
  /** Extra arguments for the raw relay: a deliberately broken relay, to prove the checks catch it. */
  relayArgs: string[];
  argv: string[];
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick                 a few seconds per scenario, small counts (the CI smoke run)
  --only a,b              run only these scenarios: ${SCENARIOS.join(', ')}
  --systems a,b           parley, raw, socketio (default: all three)
  --two-nodes             run the PostgreSQL + Redis scenarios (two nodes, workers, latency-postgres)
                          even in quick mode
  --no-two-nodes          skip them (full runs include them when PostgreSQL and Redis answer)
  --no-competitors        skip fetching other vendors' widgets with npm pack
  --profile               write V8 CPU profiles of the Parley nodes to bench/.profiles/
  --statements            count and time every SQLite statement of the Parley nodes, in bench/.statements/
  --gc                    trace the Parley nodes' garbage collections (--trace-gc-nvp); the load
                          scenarios report what the measured span promoted and each mark-compact
  --node-flags="F …"      start every Parley node with these Node/V8 flags
                          (e.g. --node-flags=--max-semi-space-size=64, as OPERATIONS.md describes)
  --results-dir DIR       where <date>.json goes (default bench/results)
  --postgres URL          default postgres://postgres@127.0.0.1:5432/postgres
  --redis URL             default redis://127.0.0.1:6379
  --chromium PATH         default /usr/bin/chromium
  --clamd-socket PATH     clamd for the uploads scenario's scanning variant
                          (default /tmp/parley-clamd/clamd.sock, as scripts/start-test-clamd.sh starts it)
  --inject-drop N         the raw relay acks its Nth message but never forwards it (checks must fail)
  --inject-duplicate N    the raw relay forwards its Nth message twice (checks must fail)`;

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      systems: { type: 'string' },
      'two-nodes': { type: 'boolean' },
      'no-two-nodes': { type: 'boolean' },
      'no-competitors': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      statements: { type: 'boolean', default: false },
      gc: { type: 'boolean', default: false },
      'node-flags': { type: 'string', default: '' },
      'results-dir': { type: 'string' },
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
      'clamd-socket': { type: 'string', default: '/tmp/parley-clamd/clamd.sock' },
      'inject-drop': { type: 'string' },
      'inject-duplicate': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const list = <T extends string>(raw: string | undefined, allowed: readonly T[], what: string): T[] => {
    if (!raw) return [...allowed];
    const items = raw.split(',').map((s) => s.trim()) as T[];
    for (const i of items) if (!allowed.includes(i)) throw new Error(`unknown ${what} "${i}"\n\n${USAGE}`);
    return items;
  };
  const nodeFlags = values['node-flags'].split(/\s+/).filter(Boolean);
  for (const f of nodeFlags)
    if (!f.startsWith('--')) throw new Error(`--node-flags takes flags ("--name=value"), not "${f}"`);
  const relayArgs = [
    ...(values['inject-drop'] ? ['--drop-nth', values['inject-drop']] : []),
    ...(values['inject-duplicate'] ? ['--duplicate-nth', values['inject-duplicate']] : []),
  ];
  return {
    quick: values.quick,
    scenarios: list(values.only, SCENARIOS, 'scenario'),
    systems: list(values.systems, ['parley', 'raw', 'socketio'] as const, 'system'),
    twoNodes: values['two-nodes'] ? 'yes' : values['no-two-nodes'] || values.quick ? 'no' : 'if-available',
    competitors: !values['no-competitors'] && !values.quick,
    profileDir: values.profile ? join(ROOT, 'bench', '.profiles') : null,
    statementsDir: values.statements ? join(ROOT, 'bench', '.statements') : null,
    gc: values.gc,
    nodeFlags,
    resultsDir: values['results-dir'] ?? join(ROOT, 'bench', 'results'),
    cacheDir: join(ROOT, 'bench', '.cache'),
    postgresUrl: values.postgres,
    redisUrl: values.redis,
    chromium: values.chromium,
    clamdSocket: values['clamd-socket'],
    relayArgs,
    argv,
  };
}

/** Sizes and durations: full runs aim at the figures; quick runs only prove the harness. */
export function profile(quick: boolean) {
  // How long to wait for outstanding acks and deliveries; a run that loses nothing ends sooner.
  const drainMs = quick ? 3000 : 10_000;
  return quick
    ? {
        throughput: { visitors: 40, operators: 2, workers: 1, durationMs: 1500, warmupMs: 300, drainMs },
        latency: {
          visitors: 40,
          operators: 2,
          workers: 1,
          perSec: 100,
          durationMs: 2000,
          warmupMs: 500,
          drainMs,
        },
        idle: { connections: 200, workers: 1, settleMs: 300 },
        durability: { visitors: 40, workers: 1, durationMs: 1500, warmupMs: 300 },
        twoNodes: {
          visitors: 30,
          operators: 2,
          perSec: 60,
          durationMs: 1500,
          warmupMs: 300,
          drainMs,
          capacity: {
            rates: [90, 120],
            below: [40],
            durationMs: 1000,
            warmupMs: 200,
            drainMs,
            p99LimitMs: 50,
          },
        },
        // Two workers start their background work (leases, indexer, sweeps) just as this short load
        // begins: on a loaded machine the last acks can take seconds. A run that loses nothing ends
        // as soon as everything is in, so the longer wait costs only when something is late.
        workers: {
          visitors: 30,
          operators: 2,
          generators: 1,
          durationMs: 1500,
          warmupMs: 300,
          drainMs: 15_000,
        },
        widgetStart: { runs: 3 },
        search: { conversations: 20, messagesPerConversation: 50, queries: 10, concurrency: 8 },
        uploads: { images: 12, pdfs: 6, concurrency: 4, visitors: 2 },
      }
    : {
        throughput: {
          visitors: 3000,
          operators: 30,
          workers: 2,
          durationMs: 15_000,
          warmupMs: 4000,
          drainMs,
        },
        latency: {
          visitors: 1000,
          operators: 10,
          workers: 1,
          perSec: 1000,
          durationMs: 20_000,
          warmupMs: 3000,
          drainMs,
        },
        idle: { connections: 10_000, workers: 2, settleMs: 3000 },
        durability: { visitors: 3000, workers: 2, durationMs: 15_000, warmupMs: 4000 },
        twoNodes: {
          visitors: 1000,
          operators: 10,
          perSec: 1000,
          durationMs: 20_000,
          warmupMs: 3000,
          drainMs,
          // After the 1,000/s run, on the same sockets: each rate for 10 s (the first 2 s not
          // counted), up from 1,000/s when it was held. The drain is long so that a rate past what
          // the nodes hold shows as late, not lost: a run that loses nothing ends as soon as
          // everything is in.
          capacity: {
            rates: [1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000],
            // When 1,000/s was not held: down until a rate is.
            below: [750, 500, 250],
            durationMs: 10_000,
            warmupMs: 2000,
            drainMs: 60_000,
            p99LimitMs: 50,
          },
        },
        workers: {
          visitors: 1000,
          operators: 10,
          generators: 2,
          durationMs: 15_000,
          warmupMs: 4000,
          drainMs,
        },
        widgetStart: { runs: 20 },
        search: { conversations: 500, messagesPerConversation: 200, queries: 100, concurrency: 32 },
        uploads: { images: 100, pdfs: 30, concurrency: 4, visitors: 4 },
      };
}

export type Profile = ReturnType<typeof profile>;

/** Per-socket pacing: under the server's frame budget (20/s, burst 40), with room for timer jitter. */
export const PER_SOCKET_RATE = 18;
export const PER_SOCKET_BURST = 10;
