import net from 'node:net';
import { problems, totals } from '../harness/checks.js';
import type { Options, Profile } from '../harness/options.js';
import type { Check, Row, ScenarioResult } from '../harness/result.js';
import { startTwoNodes } from '../harness/systems.js';
import { type LatencyFigures, latencyFigures, showLatency } from './latency.js';
import { type LoadOutcome, type Measure, openLoop, runLoads, storedMismatch } from './run-load.js';
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

/** One rate of the climb: what it gave, and whether two nodes held it. */
interface Step {
  perSec: number;
  figures: LatencyFigures;
  deliveredPerSec: number;
  problems: string[];
  held: boolean;
  outcome: LoadOutcome;
}

/**
 * Two Parley nodes sharing PostgreSQL and Redis. Visitors are connected to node A, operators to
 * node B; 1,000 messages/s in total. The figure is the visitor→operator time across the nodes.
 * Then, on the same sockets, the rate climbs step by step to find the most the two nodes hold with a
 * p99 within `capacity.p99LimitMs`, every message checked at each step.
 */
export async function twoNodes(options: Options, p: Profile['twoNodes']): Promise<ScenarioResult> {
  const sut = await startTwoNodes({
    operators: p.operators,
    postgresUrl: options.postgresUrl,
    redisUrl: options.redisUrl,
    ...(options.profileDir ? { profileDir: options.profileDir } : {}),
  });
  try {
    const spec = openLoop(p, 1);
    const { first, steps } = await runLoads(sut, spec, async (measure) => {
      const first = await measure(spec);
      return { first, steps: await climb(measure, p, first) };
    }).finally(() => sut.stop());
    // The database must hold exactly the messages acked in all the runs together.
    const all = totals([first, ...steps.map((s) => s.outcome)].flatMap((o) => o.reports));
    const found = [...problems(first.totals, { echo: true }), ...(await storedMismatch(sut, all.acked))];
    const f = latencyFigures(first);
    const rows: Row[] = [
      {
        scenario: 'two nodes',
        system: 'Parley (PostgreSQL + Redis)',
        figure: `cross-node p50 / p99 / p99.9 at ${p.perSec}/s, ${p.visitors} visitors`,
        value: f.p99,
        unit: 'ms',
        display: showLatency(f),
        target: 'p99 ≤ 20 ms',
        met: f.p99 <= 20,
        note: limitNote(first),
      },
      capacityRow(p, first, steps),
    ];
    const checks: Check[] = [
      { scenario: 'two nodes', system: 'Parley', totals: first.totals, problems: found },
      ...steps.map((s) => ({
        scenario: 'two nodes',
        system: `Parley at ${s.perSec} msgs/s`,
        totals: s.outcome.totals,
        problems: s.problems,
      })),
    ];
    return {
      name: 'two-nodes',
      rows,
      checks,
      details: {
        parameters: p,
        ...f,
        serverCpu: first.serverCpu,
        serverEventLoopCpu: first.serverEventLoopCpu,
        cpuPressure: first.cpuPressure,
        generatorCpu: first.generatorCpu,
        totals: first.totals,
        steps: steps.map((s) => ({
          perSec: s.perSec,
          ...s.figures,
          deliveredPerSec: s.deliveredPerSec,
          held: s.held,
          serverCpu: s.outcome.serverCpu,
          serverEventLoopCpu: s.outcome.serverEventLoopCpu,
          generatorCpu: s.outcome.generatorCpu,
          cpuPressure: s.outcome.cpuPressure,
          generatorEventLoopP99Ms: s.outcome.generatorEventLoopP99Ms,
          totals: s.outcome.totals,
        })),
      },
    };
  } finally {
    await sut.remove();
  }
}

/**
 * The climb: each rate runs on its own, counted and checked alone. A rate not held is tried once
 * more (one stall of a noisy machine should not end the climb) and a second miss ends it; so does
 * any lost, duplicated or refused message, which is a failure and not a limit. When the first run's
 * rate was not held, the climb goes down instead (`capacity.below`) and ends at the first rate held.
 */
async function climb(measure: Measure, p: Profile['twoNodes'], first: LoadOutcome): Promise<Step[]> {
  const c = p.capacity;
  const steps: Step[] = [];
  if (problems(first.totals, { echo: true }).length > 0) return steps;
  const up = holds(c, latencyFigures(first), first.deliveredPerSec, [], p.perSec);
  for (const perSec of up ? c.rates : c.below) {
    let step = await runStep(measure, p, perSec);
    steps.push(step);
    if (!step.held && step.problems.length === 0) {
      step = await runStep(measure, p, perSec);
      steps.push(step);
    }
    if (step.problems.length > 0 || step.held !== up) break;
  }
  return steps;
}

/**
 * Held: nothing went wrong, the p99 is within the limit, and the rate was delivered (a generator
 * that could not send on schedule has not offered it).
 */
function holds(
  c: Profile['twoNodes']['capacity'],
  figures: LatencyFigures,
  deliveredPerSec: number,
  found: string[],
  perSec: number,
): boolean {
  return found.length === 0 && figures.p99 <= c.p99LimitMs && deliveredPerSec >= 0.95 * perSec;
}

async function runStep(measure: Measure, p: Profile['twoNodes'], perSec: number): Promise<Step> {
  const c = p.capacity;
  const outcome = await measure(
    openLoop({ ...p, perSec, durationMs: c.durationMs, warmupMs: c.warmupMs, drainMs: c.drainMs }, 1),
  );
  const figures = latencyFigures(outcome);
  const found = problems(outcome.totals, { echo: true });
  const held = holds(c, figures, outcome.deliveredPerSec, found, perSec);
  return { perSec, figures, deliveredPerSec: outcome.deliveredPerSec, problems: found, held, outcome };
}

/** The highest rate held: the first run's or a step's (none held: 0). */
function capacityRow(p: Profile['twoNodes'], first: LoadOutcome, steps: Step[]): Row {
  const c = p.capacity;
  const f = latencyFigures(first);
  const firstHeld = holds(c, f, first.deliveredPerSec, problems(first.totals, { echo: true }), p.perSec);
  const best = Math.max(0, firstHeld ? p.perSec : 0, ...steps.filter((s) => s.held).map((s) => s.perSec));
  const tried = steps
    .map(
      (s) =>
        `${s.perSec}/s p99 ${s.figures.p99.toFixed(1)} ms${s.held ? '' : s.problems.length > 0 ? ' (failed checks)' : ' (not held)'}`,
    )
    .join('; ');
  const top = steps.find((s) => s.held && s.perSec === best);
  return {
    scenario: 'two nodes',
    system: 'Parley (PostgreSQL + Redis)',
    figure: `highest rate held with p99 ≤ ${c.p99LimitMs} ms, ${p.visitors} visitors`,
    value: best,
    unit: 'msgs/s',
    display: `${best.toLocaleString('en-US')} msgs/s`,
    note: `${p.perSec}/s p99 ${f.p99.toFixed(1)} ms${firstHeld ? '' : ' (not held)'}${tried ? `; ${tried}` : ''}${top ? `; at ${best}/s: ${limitNote(top.outcome)}` : ''}`,
  };
}
