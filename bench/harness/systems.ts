import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { System, Target } from '../generator/plan.js';
import { operatorSessions, type ParleyNode, setupWorkspace, startParley } from './parley-node.js';
import { startRelay } from './relays.js';

/** A running system under test: what the generator aims at, and the server processes to watch. */
export interface SystemUnderTest {
  system: System;
  target: Target;
  /** Server processes: the first is the one whose RSS and CPU are reported. */
  pids: number[];
  /** Processes whose CPU adds up to the server's when that is not the first alone (a cluster's workers). */
  cpuPids?: number[];
  /** Parley on SQLite: the database file, for reading back what was stored. */
  sqliteFile?: string;
  /** Parley on PostgreSQL: the database, for reading back what was stored. */
  postgresUrl?: string;
  nodes: ParleyNode[];
  /** Stops the processes; the data stays until `remove()`, so it can be read back. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  remove(): Promise<void>;
  /** Parley on SQLite: a fresh process on the same data and address (memory readings start clean). */
  restart?(): Promise<void>;
}

export const SYSTEM_NAMES: Record<System, string> = {
  parley: 'Parley',
  raw: 'raw ws relay',
  socketio: 'Socket.IO relay',
};

export interface StartOptions {
  operators: number;
  profileDir?: string;
  relayArgs?: string[];
}

export async function startSystem(system: System, options: StartOptions): Promise<SystemUnderTest> {
  if (system !== 'parley') {
    const relay = await startRelay(system, options.relayArgs);
    return {
      system,
      target: { kind: system, url: relay.url },
      pids: [relay.child.pid],
      nodes: [],
      stop: () => relay.stop(),
      remove: async () => {},
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const profile = options.profileDir ? { profileDir: options.profileDir } : {};
  let node = await startParley({ dataDir, ...profile });
  try {
    const ws = await setupWorkspace(node.url, node.setupToken ?? '');
    const agentCookies = await operatorSessions(node.url, options.operators);
    const sut: SystemUnderTest = {
      system,
      target: {
        kind: 'parley',
        url: node.url,
        agentUrl: node.url,
        widgetId: ws.widgetId,
        hostOrigin: ws.hostOrigin,
        agentCookies,
      },
      pids: [node.child.pid],
      sqliteFile: join(dataDir, 'parley.sqlite'),
      nodes: [node],
      stop: (signal) => node.stop(signal),
      remove: async () => rmSync(dataDir, { recursive: true, force: true }),
      async restart() {
        await node.stop();
        node = await startParley({ dataDir, port: node.port, ...profile });
        sut.pids = [node.child.pid];
        sut.nodes = [node];
      },
    };
    return sut;
  } catch (err) {
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Two Parley nodes on one fresh PostgreSQL database and one Redis: visitors use node A, operators
 * node B, so every message crosses from one node to the other through Redis.
 */
/** A database of its own on the bench's PostgreSQL server, dropped by `drop()`. */
async function benchDatabase(postgresUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

export async function startTwoNodes(options: {
  operators: number;
  postgresUrl: string;
  redisUrl: string;
  profileDir?: string;
}): Promise<SystemUnderTest> {
  const database = await benchDatabase(options.postgresUrl);
  const databaseUrl = database.url;
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const nodes: ParleyNode[] = [];
  const stopAll = async (signal?: NodeJS.Signals) => {
    await Promise.all(nodes.map((n) => n.stop(signal)));
  };
  const remove = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  };
  try {
    const common = {
      databaseUrl,
      redisUrl: options.redisUrl,
      ...(options.profileDir ? { profileDir: options.profileDir } : {}),
    };
    const a = await startParley({ ...common, dataDir: join(dataDir, 'a'), name: 'Parley A' });
    nodes.push(a);
    const ws = await setupWorkspace(a.url, a.setupToken ?? '');
    // B starts after A has migrated the database and set up the workspace.
    const b = await startParley({ ...common, dataDir: join(dataDir, 'b'), name: 'Parley B' });
    nodes.push(b);
    const agentCookies = await operatorSessions(b.url, options.operators);
    return {
      system: 'parley',
      target: {
        kind: 'parley',
        url: a.url,
        agentUrl: b.url,
        widgetId: ws.widgetId,
        hostOrigin: ws.hostOrigin,
        agentCookies,
      },
      pids: nodes.map((n) => n.child.pid),
      postgresUrl: databaseUrl,
      nodes,
      stop: stopAll,
      remove,
    };
  } catch (err) {
    await stopAll();
    await remove();
    throw err;
  }
}

/**
 * `parley start --workers N` on PostgreSQL + Redis: one address, N processes behind it (the
 * primary hands connections out in turn). Its CPU is the workers' together.
 */
export async function startWorkers(options: {
  workers: number;
  operators: number;
  postgresUrl: string;
  redisUrl: string;
}): Promise<SystemUnderTest> {
  const database = await benchDatabase(options.postgresUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const remove = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  };
  let node: Awaited<ReturnType<typeof startParley>> | null = null;
  try {
    node = await startParley({
      dataDir,
      databaseUrl: database.url,
      redisUrl: options.redisUrl,
      name: `Parley ×${options.workers}`,
      args: ['--workers', String(options.workers)],
    });
    const ws = await setupWorkspace(node.url, node.setupToken ?? '');
    const agentCookies = await operatorSessions(node.url, options.operators);
    const workerPids = [...node.child.output().matchAll(/Worker \d+ \(pid (\d+)\) is serving/g)].map((m) =>
      Number(m[1]),
    );
    const started = node;
    return {
      system: 'parley',
      target: {
        kind: 'parley',
        url: started.url,
        agentUrl: started.url,
        widgetId: ws.widgetId,
        hostOrigin: ws.hostOrigin,
        agentCookies,
      },
      pids: [started.child.pid],
      cpuPids: options.workers > 1 ? workerPids : [started.child.pid],
      postgresUrl: database.url,
      nodes: [started],
      stop: (signal) => started.stop(signal),
      remove,
    };
  } catch (err) {
    await node?.stop();
    await remove();
    throw err;
  }
}
