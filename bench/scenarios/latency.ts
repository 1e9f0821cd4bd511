import type { System } from '../generator/plan.js';
import type { Options, Profile } from '../harness/options.js';
import { type Check, type Row, ratio, type ScenarioResult } from '../harness/result.js';
import { percentile } from '../harness/stats.js';
import { SYSTEM_NAMES } from '../harness/systems.js';
import { type LoadOutcome, loadOneSystem, openLoop } from './run-load.js';
import { limitNote } from './throughput.js';

export interface LatencyFigures {
  p50: number;
  p99: number;
  p999: number;
  samples: number;
}

export function latencyFigures(o: LoadOutcome): LatencyFigures {
  return {
    p50: percentile(o.latencies, 50),
    p99: percentile(o.latencies, 99),
    p999: percentile(o.latencies, 99.9),
    samples: o.latencies.length,
  };
}

export const showLatency = (f: LatencyFigures) =>
  `${f.p50.toFixed(2)} / ${f.p99.toFixed(2)} / ${f.p999.toFixed(2)}`;

/**
 * 1,000 connected visitors sending 1,000 messages/s in total (open loop: on schedule, whatever the
 * answers do), each conversation watched by an operator socket. The figure is the time from a
 * visitor's send to the operator's receipt, on one clock (both ends live in the same generator).
 */
export async function latency(options: Options, p: Profile['latency']): Promise<ScenarioResult> {
  const checks: Check[] = [];
  const outcomes = new Map<System, LoadOutcome>();
  for (const system of options.systems) {
    const { outcome, problems } = await loadOneSystem(
      system,
      {
        operators: p.operators,
        ...(options.profileDir ? { profileDir: options.profileDir } : {}),
        ...(system === 'raw' ? { relayArgs: options.relayArgs } : {}),
      },
      openLoop(p, p.workers),
    );
    outcomes.set(system, outcome);
    checks.push({
      scenario: 'latency',
      system: SYSTEM_NAMES[system],
      totals: outcome.totals,
      problems,
    });
  }
  const figures = new Map([...outcomes].map(([s, o]) => [s, latencyFigures(o)]));
  const rawP99 = figures.get('raw')?.p99;
  const sioP99 = figures.get('socketio')?.p99;
  const rows: Row[] = [...figures].map(([system, f]) => {
    const isParley = system === 'parley';
    const vsRaw = ratio(f.p99, rawP99);
    const vsSocketIo = ratio(f.p99, sioP99);
    return {
      scenario: 'latency',
      system: SYSTEM_NAMES[system],
      figure: `visitor→operator p50 / p99 / p99.9 at ${p.perSec}/s, ${p.visitors} visitors`,
      value: f.p99,
      unit: 'ms',
      display: showLatency(f),
      ...(isParley && vsRaw !== undefined ? { vsRaw } : {}),
      ...(isParley && vsSocketIo !== undefined ? { vsSocketIo } : {}),
      ...(isParley
        ? { target: 'p99 ≤ 5 ms, ≤ 2× raw', met: f.p99 <= 5 && (vsRaw === undefined || vsRaw <= 2) }
        : {}),
      note: limitNote(outcomes.get(system) as LoadOutcome),
    };
  });
  return {
    name: 'latency',
    rows,
    checks,
    details: {
      parameters: p,
      systems: Object.fromEntries(
        [...outcomes].map(([s, o]) => [
          s,
          {
            ...figures.get(s),
            ackP99: percentile(o.ackLatencies, 99),
            serverCpu: o.serverCpu,
            serverEventLoopCpu: o.serverEventLoopCpu,
            generatorCpu: o.generatorCpu,
            cpuPressure: o.cpuPressure,
            generatorEventLoopP99Ms: o.generatorEventLoopP99Ms,
            totals: o.totals,
          },
        ]),
      ),
    },
  };
}
