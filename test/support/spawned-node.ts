import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RATE_LIMIT_NAMES } from '../../server/platform/http/rate-limits.js';
import { TEST_MASTER_KEY } from './keys.js';
import { POSTGRES_URL } from './services.js';
import { freePort, type TestDatabase } from './test-server.js';

const MAIN = new URL('../../dist/server/main.js', import.meta.url).pathname;

/** A real `parley start` process (the built CLI), for tests that kill or restart a node. */
export interface SpawnedNode {
  url: string;
  origin: string;
  wsUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no drain, no cleanup, as a crash or an OOM kill. */
  kill(): Promise<void>;
  stop(): Promise<number | null>;
}

/**
 * Starts the built CLI on a test database with a clean environment: nothing of the caller's
 * environment reaches it but PATH, so a DATABASE_URL or REDIS_URL set in the shell cannot change
 * what the test runs against. Run `npm run build:server` first (npm test does).
 */
export async function spawnNode(database: TestDatabase, options: SpawnOptions = {}): Promise<SpawnedNode> {
  // A port picked free can be taken before the node listens (parallel test runs): then the node
  // starts again on another one. A port the test chose is kept, and its failure is the test's.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await spawnNodeOnce(database, options, options.port ?? (await freePort()));
    } catch (err) {
      const taken = err instanceof Error && err.message.includes('EADDRINUSE');
      if (!taken || options.port !== undefined || attempt >= 5) throw err;
    }
  }
}

interface SpawnOptions {
  env?: Record<string, string>;
  redisUrl?: string;
  /** Restart a node on the port it had (clients reconnect to the same address). */
  port?: number;
  /** Options for node itself, before the CLI (e.g. `--import` a hook). */
  nodeArgs?: string[];
}

async function spawnNodeOnce(
  database: TestDatabase,
  options: SpawnOptions,
  port: number,
): Promise<SpawnedNode> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PORT: String(port),
    PARLEY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    // SQLite: the test database's own directory (its file is parley.sqlite there, as Parley names it).
    PARLEY_DATA_DIR:
      database.database.kind === 'sqlite'
        ? dirname(database.database.file)
        : mkdtempSync(join(tmpdir(), 'parley-node-')),
    PARLEY_MASTER_KEY: TEST_MASTER_KEY,
    PARLEY_LOG_LEVEL: 'warn',
    // Tests send bursts no person would; the limits have tests of their own.
    PARLEY_RATE_LIMITS: RATE_LIMIT_NAMES.map((name) => `${name}=1000000/60`).join(','),
    PARLEY_WS_CONNECTIONS_PER_IP: '100000',
    // A schema of the shared test database, or a database of the test's own (createOwnDatabase).
    ...(database.database.kind === 'postgres'
      ? { DATABASE_URL: database.schema ? schemaUrl(database.schema) : database.database.url }
      : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), MAIN, 'start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Parley is running')) {
        clearInterval(timer);
        resolve();
      }
    }, 25);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`parley start exited before listening:\n${out}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    child,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The test database's PostgreSQL schema, for a process that only reads DATABASE_URL. */
function schemaUrl(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
