import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { buildApp } from '../../server/app.js';
import { type Config, loadConfig } from '../../server/config.js';
import { createDb, type DbHandle } from '../../server/platform/db/create-db.js';
import { migrateToLatest } from '../../server/platform/db/migrate.js';
import { RATE_LIMIT_NAMES } from '../../server/platform/http/rate-limits.js';
import { createMemoryPubSub } from '../../server/platform/pubsub/memory-pubsub.js';
import type { PubSub } from '../../server/platform/pubsub/pubsub.js';
import { createRedisPubSub } from '../../server/platform/pubsub/redis-pubsub.js';
import { TEST_MASTER_KEY } from './keys.js';
import { POSTGRES_URL, REDIS_URL } from './services.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh, empty database: a SQLite file in a temp dir, or a new PostgreSQL schema. */
export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  database: Config['database'];
  schema?: string;
  open(): DbHandle;
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-test-'));
    const database = { kind: 'sqlite', file: join(dir, 'parley.sqlite') } as const;
    return {
      dialect,
      database,
      open: () => createDb(database),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const database = { kind: 'postgres', url: POSTGRES_URL } as const;
  return {
    dialect,
    database,
    schema,
    open: () => createDb(database, { schema, applicationName: `parley ${schema}` }),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

export interface TestServer {
  app: FastifyInstance;
  url: string;
  origin: string;
  wsUrl: string;
  config: Config;
  db: DbHandle;
  pubsub: PubSub;
  close(): Promise<void>;
}

/**
 * A real Parley node listening on a real port. The port is picked free just before listening; when
 * another process takes it in between (parallel test runs), the node starts again on another one,
 * and so do the ports named in `portEnv`.
 */
export async function startTestServer(options: StartOptions): Promise<TestServer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const ports: Record<string, string> = {};
      for (const name of options.portEnv ?? []) ports[name] = String(await freePort());
      return await startTestServerOnce({ ...options, env: { ...options.env, ...ports } }, await freePort());
    } catch (err) {
      if ((err as { code?: string }).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    }
  }
}

interface StartOptions {
  database: TestDatabase;
  redis?: boolean;
  /** Pub/sub through this Redis instead of the shared one (e.g. a proxy a test can cut). */
  redisUrl?: string;
  host?: 'localhost' | '127.0.0.1';
  env?: Record<string, string>;
  /**
   * Settings that name a port of the node's own (e.g. its SMTP listener): each gets a port picked free
   * at every attempt, so one taken in between is replaced like the HTTP port is.
   */
  portEnv?: string[];
  logStream?: DestinationStream;
  heartbeatIntervalMs?: number;
  /** A request that has not arrived in full by then is cut off (30 s otherwise). */
  requestTimeoutMs?: number;
  migrate?: boolean;
  /** Serve HTTPS with these PEM files; the public URL becomes https://<host>:<port>. */
  tls?: { certFile: string; keyFile: string };
}

async function startTestServerOnce(options: StartOptions, port: number): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  // Local state (e.g. the key file sealing TOTP secrets) goes to a directory of this server's own.
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-data-'));
  const config = loadConfig({
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PORT: String(port),
    PARLEY_PUBLIC_URL: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    ...(options.tls ? { PARLEY_TLS_CERT: options.tls.certFile, PARLEY_TLS_KEY: options.tls.keyFile } : {}),
    PARLEY_LOG_LEVEL: options.logStream ? 'info' : 'silent',
    // Tests send bursts no person would; the limits have tests of their own that set them.
    PARLEY_RATE_LIMITS: RATE_LIMIT_NAMES.map((name) => `${name}=1000000/60`).join(','),
    PARLEY_WS_CONNECTIONS_PER_IP: '1000000',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_MASTER_KEY: TEST_MASTER_KEY,
    ...options.env,
  });
  const effective: Config = Object.freeze({ ...config, database: options.database.database });
  const db = options.database.open();
  if (options.migrate !== false) await migrateToLatest(db.db, options.database.schema);

  const redisUrl = options.redisUrl ?? (options.redis ? REDIS_URL : undefined);
  const pubsub = redisUrl ? await createRedisPubSub(redisUrl) : createMemoryPubSub();
  const app = await buildApp({
    config: effective,
    db,
    pubsub,
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  try {
    await app.listen({ host: '127.0.0.1', port });
  } catch (err) {
    await app.close();
    await pubsub.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    url: effective.publicUrl,
    origin: effective.publicOrigin,
    wsUrl: `${effective.publicUrl.replace(/^http/, 'ws')}/ws`,
    config: effective,
    db,
    pubsub,
    async close() {
      // A success answered without a response schema escaped the allow-list (response-schemas.ts).
      const undeclared = [...app.undeclaredResponses];
      await app.close();
      await pubsub.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (undeclared.length > 0)
        throw new Error(`Replies without a response schema for their status: ${undeclared.join(', ')}`);
    },
  };
}
