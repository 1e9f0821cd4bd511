import type { Options, Profile } from '../harness/options.js';
import type { Check, Row, ScenarioResult } from '../harness/result.js';
import { startWorkers } from '../harness/systems.js';
import { latencyFigures, showLatency } from './latency.js';
import { openLoop, postgresProblems, runLoad } from './run-load.js';
import { limitNote } from './throughput.js';

/**
 * The latency scenario's load (1,000 visitors, 1,000 messages/s, open loop, each conversation
 * watched by an operator) on one Parley node on PostgreSQL + Redis: the same figure as the SQLite
 * row of `latency`, for the database a team that grows past one machine runs, without the second
 * node's cross-node hop (`two-nodes` has that). Every acked message must be in the database.
 */
export async function latencyPostgres(options: Options, p: Profile['latency']): Promise<ScenarioResult> {
  const system = 'Parley (PostgreSQL + Redis, one node)';
  const sut = await startWorkers({
    workers: 1,
    operators: p.operators,
    postgresUrl: options.postgresUrl,
    redisUrl: options.redisUrl,
  });
  try {
    const outcome = await runLoad(sut, openLoop(p, p.workers)).finally(() => sut.stop());
    const found = await postgresProblems(sut, outcome.totals);
    const checks: Check[] = [
      { scenario: 'latency-postgres', system, totals: outcome.totals, problems: found },
    ];
    const f = latencyFigures(outcome);
    const rows: Row[] = [
      {
        scenario: 'latency-postgres',
        system,
        figure: `visitor→operator p50 / p99 / p99.9 at ${p.perSec}/s, ${p.visitors} visitors`,
        value: f.p99,
        unit: 'ms',
        display: showLatency(f),
        target: 'p99 ≤ 5 ms',
        met: f.p99 <= 5,
        note: limitNote(outcome),
      },
    ];
    return {
      name: 'latency-postgres',
      rows,
      checks,
      details: {
        parameters: p,
        ...f,
        serverCpu: outcome.serverCpu,
        serverEventLoopCpu: outcome.serverEventLoopCpu,
        generatorCpu: outcome.generatorCpu,
        cpuPressure: outcome.cpuPressure,
        totals: outcome.totals,
      },
    };
  } finally {
    await sut.remove();
  }
}
