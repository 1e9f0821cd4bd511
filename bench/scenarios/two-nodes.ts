import net from 'node:net';
import type { Options, Profile } from '../harness/options.js';
import type { Row, ScenarioResult } from '../harness/result.js';
import { startTwoNodes } from '../harness/systems.js';
import { latencyFigures, showLatency } from './latency.js';
import { openLoop, postgresProblems, runLoad } from './run-load.js';
import { limitNote } from './throughput.js';

export function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort), timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Two Parley nodes sharing PostgreSQL and Redis. Visitors are connected to node A, operators to
 * node B; 1,000 messages/s in total. The figure is the visitor→operator time across the nodes.
 */
export async function twoNodes(options: Options, p: Profile['twoNodes']): Promise<ScenarioResult> {
  const sut = await startTwoNodes({
    operators: p.operators,
    postgresUrl: options.postgresUrl,
    redisUrl: options.redisUrl,
    ...(options.profileDir ? { profileDir: options.profileDir } : {}),
  });
  try {
    const outcome = await runLoad(sut, openLoop(p, 1)).finally(() => sut.stop());
    const found = await postgresProblems(sut, outcome.totals);
    const f = latencyFigures(outcome);
    const row: Row = {
      scenario: 'two nodes',
      system: 'Parley (PostgreSQL + Redis)',
      figure: `cross-node p50 / p99 / p99.9 at ${p.perSec}/s, ${p.visitors} visitors`,
      value: f.p99,
      unit: 'ms',
      display: showLatency(f),
      target: 'p99 ≤ 10 ms',
      met: f.p99 <= 10,
      note: limitNote(outcome),
    };
    return {
      name: 'two-nodes',
      rows: [row],
      checks: [{ scenario: 'two nodes', system: 'Parley', totals: outcome.totals, problems: found }],
      details: {
        parameters: p,
        ...f,
        serverCpu: outcome.serverCpu,
        serverEventLoopCpu: outcome.serverEventLoopCpu,
        cpuPressure: outcome.cpuPressure,
        generatorCpu: outcome.generatorCpu,
        totals: outcome.totals,
      },
    };
  } finally {
    await sut.remove();
  }
}
