/**
 * Every setting the bench gives a Parley node, in one place. Parley reads nothing else: the child
 * process gets exactly this environment. When Parley gains limits that a load test would trip
 * (connections or requests per address — the generator is one address with thousands of sockets),
 * raise them here, and say so in docs/PERFORMANCE.md.
 */
import { randomBytes } from 'node:crypto';

/** One master key for every node of a run (several PostgreSQL nodes must share it). */
const MASTER_KEY = randomBytes(32).toString('base64');

/**
 * Every rate-limit rule and budget of docs/SECURITY.md, raised: the generator is one address with
 * thousands of sockets, and a few agent sessions answer for many visitors.
 */
const RAISED_LIMITS = [
  'uploads',
  'visitor-uploads',
  'sign-in',
  'visitor',
  'widget-lookup',
  'ws-handshake',
  'api-write',
  'api-read',
  'pages',
  'refused',
  'messages',
]
  .map((name) => `${name}=100000000/60`)
  .join(',');

export function parleyEnv(options: {
  port: number;
  dataDir: string;
  publicHost?: 'localhost' | '127.0.0.1';
  databaseUrl?: string;
  redisUrl?: string;
  /** Settings a scenario adds (the uploads scenario's PARLEY_CLAMD). */
  env?: Record<string, string>;
}): Record<string, string> {
  return {
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PORT: String(options.port),
    PARLEY_PUBLIC_URL: `http://${options.publicHost ?? '127.0.0.1'}:${options.port}`,
    PARLEY_DATA_DIR: options.dataDir,
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_RATE_LIMITS: RAISED_LIMITS,
    PARLEY_WS_CONNECTIONS_PER_IP: '1000000',
    PARLEY_MASTER_KEY: MASTER_KEY,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
}

/** The bench's administrator; the password only has to satisfy Parley's minimum length. */
export const BENCH_ADMIN = {
  email: 'bench@example.com',
  name: 'Bench Admin',
  password: 'bench password, long enough',
  workspaceName: 'Bench',
};

/** The site the bench's widget is embedded in (an allowed origin; nothing listens there). */
export const BENCH_HOST_ORIGIN = 'https://shop.bench.example';
