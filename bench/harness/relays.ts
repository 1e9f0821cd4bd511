import { join } from 'node:path';
import { type Child, DIST, spawnNode, waitForOutput } from './processes.js';

export interface RelayNode {
  child: Child;
  url: string;
  stop(): Promise<void>;
}

const SCRIPTS = { raw: 'raw-relay.js', socketio: 'socketio-relay.js' } as const;

/** Starts a baseline relay (bench/baselines/) as its own process on a free port. */
export async function startRelay(kind: 'raw' | 'socketio', extraArgs: string[] = []): Promise<RelayNode> {
  const child = spawnNode(kind === 'raw' ? 'raw relay' : 'Socket.IO relay', [
    join(DIST, 'bench', 'baselines', SCRIPTS[kind]),
    '--port',
    '0',
    ...extraArgs,
  ]);
  const m = await waitForOutput(child, /listening (\d+)/);
  return { child, url: `http://127.0.0.1:${m[1]}`, stop: () => child.stop() };
}
