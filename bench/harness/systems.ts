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
export async function startTwoNodes(options: {
  operators: number;
  postgresUrl: string;
  redisUrl: string;
  profileDir?: string;
}): Promise<SystemUnderTest> {
  const name = `parley_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: options.postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(options.postgresUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const nodes: ParleyNode[] = [];
  const stopAll = async (signal?: NodeJS.Signals) => {
    await Promise.all(nodes.map((n) => n.stop(signal)));
  };
  const remove = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: options.postgresUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.end();
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
