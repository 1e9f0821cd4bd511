import { type Options, PER_SOCKET_BURST, PER_SOCKET_RATE, type Profile } from '../harness/options.js';
import type { Check, Row, ScenarioResult } from '../harness/result.js';
import { startWorkers } from '../harness/systems.js';
import { type LoadOutcome, postgresProblems, runLoad } from './run-load.js';
import { limitNote } from './throughput.js';

/**
 * One machine's cores: `parley start --workers N` on PostgreSQL + Redis, N = 1 then 2, under the
 * throughput scenario's closed-loop load (each socket at most two messages in flight). The figure is
 * persisted + delivered messages per second, and how it scales from one worker to two.
 */
export async function workers(options: Options, p: Profile['workers']): Promise<ScenarioResult> {
  const rows: Row[] = [];
  const checks: Check[] = [];
  const outcomes = new Map<number, LoadOutcome>();
  for (const count of [1, 2]) {
    const sut = await startWorkers({
      workers: count,
      operators: p.operators,
      postgresUrl: options.postgresUrl,
      redisUrl: options.redisUrl,
    });
    try {
      const outcome = await runLoad(sut, {
        visitors: p.visitors,
        operators: p.operators,
        workers: p.generators,
        visitorLoad: { mode: 'window', window: 2, perSocketRate: PER_SOCKET_RATE, burst: PER_SOCKET_BURST },
        operatorLoad: { mode: 'window', window: 4, perSocketRate: PER_SOCKET_RATE, burst: PER_SOCKET_BURST },
        durationMs: p.durationMs,
        warmupMs: p.warmupMs,
        drainMs: p.drainMs,
        recordLatency: false,
      }).finally(() => sut.stop());
      const found = await postgresProblems(sut, outcome.totals);
      outcomes.set(count, outcome);
      checks.push({
        scenario: 'workers',
        system: `Parley ×${count}`,
        totals: outcome.totals,
        problems: found,
      });
      rows.push({
        scenario: 'workers',
        system: `Parley, ${count} worker${count > 1 ? 's' : ''} (PostgreSQL + Redis)`,
        figure: 'persisted + delivered msgs/s',
        value: outcome.deliveredPerSec,
        unit: 'msgs/s',
        note: limitNote(outcome, outcome.deliveredPerSec),
      });
    } finally {
      await sut.remove();
    }
  }
  const one = outcomes.get(1)?.deliveredPerSec ?? Number.NaN;
  const two = outcomes.get(2)?.deliveredPerSec ?? Number.NaN;
  rows.push({
    scenario: 'workers',
    system: 'Parley, 2 workers ÷ 1',
    figure: 'scaling',
    value: two / one,
    unit: '×',
    display: `${(two / one).toFixed(2)}×`,
    target: '> 1× (a second core used)',
    met: two / one > 1,
    note: 'both on this machine, beside the load generators and PostgreSQL',
  });
  return {
    name: 'workers',
    rows,
    checks,
    details: { parameters: p, perSecond: { one, two } },
  };
}
