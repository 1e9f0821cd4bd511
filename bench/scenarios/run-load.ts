import type { SenderLoad, System, Target, WorkerPlan, WorkerReport } from '../generator/plan.js';
import { problems, type Totals, totals } from '../harness/checks.js';
import { gcFigures, gcNote } from '../harness/gc-trace.js';
import { GeneratorPool } from '../harness/generators.js';
import { cpuMeter, pressureMeter } from '../harness/processes.js';
import { generatorCpu, ratePerSec } from '../harness/stats.js';
import { storedClientIdsPostgres, storedClientIdsSqlite } from '../harness/stored.js';
import { type StartOptions, type SystemUnderTest, startSystem } from '../harness/systems.js';

export interface LoadSpec {
  visitors: number;
  operators: number;
  workers: number;
  visitorLoad: SenderLoad;
  operatorLoad: SenderLoad;
  durationMs: number;
  /** Left out of rates and CPU figures: connections settle and the JIT warms up. */
  warmupMs: number;
  drainMs: number;
  /** Rates are measured from the warm-up to here (default: the end of sending). */
  measureUntilMs?: number;
  recordLatency: boolean;
  collectAckedIds?: boolean;
  bodyChars?: number;
  /** Runs once sending has started (the durability scenario kills the node from here). */
  during?: (startedAt: number) => Promise<void>;
}

export interface LoadOutcome {
  reports: WorkerReport[];
  totals: Totals;
  deliveredPerSec: number;
  ackedPerSec: number;
  /** Share of one core used by the (first) server process, and by the generator processes together. */
  serverCpu: number;
  /** The part of serverCpu the server's main threads (event loops) used. */
  serverEventLoopCpu: number;
  generatorCpu: number;
  /** Share of the measured time in which some task on the machine waited for a CPU. */
  cpuPressure: number;
  latencies: number[];
  ackLatencies: number[];
  generatorEventLoopP99Ms: number;
  prepareMs: number;
  /** With `--gc`: what the (first) Parley node's collector did in the measured span (gc-trace.ts). */
  gc: string | null;
}

const share = (total: number, parts: number, i: number) =>
  Math.floor(total / parts) + (i < total % parts ? 1 : 0);

/** Deals visitors and operators out to generator processes; each gets whole conversations. */
export function buildPlans(
  target: Target,
  spec: Pick<LoadSpec, 'visitors' | 'operators' | 'workers' | 'bodyChars' | 'collectAckedIds'>,
): WorkerPlan[] {
  const workers = Math.max(1, Math.min(spec.workers, spec.visitors));
  let offset = 0;
  return Array.from({ length: workers }, (_, i) => {
    const operators = spec.operators > 0 ? Math.max(1, share(spec.operators, workers, i)) : 0;
    const plan: WorkerPlan = {
      workerId: i,
      target,
      visitors: share(spec.visitors, workers, i),
      operators,
      operatorOffset: offset,
      bodyChars: spec.bodyChars ?? 120,
      collectAckedIds: spec.collectAckedIds ?? false,
      setupConcurrency: 16,
    };
    offset += operators;
    return plan;
  });
}

/** Connects the visitors and operators from the generator processes and runs one load. */
export function runLoad(sut: SystemUnderTest, spec: LoadSpec): Promise<LoadOutcome> {
  return runLoads(sut, spec, (measure) => measure(spec));
}

/** Runs one load on sockets already connected; the shape (who sends how much) is its own. */
export type Measure = (
  load: Omit<LoadSpec, 'visitors' | 'operators' | 'workers' | 'bodyChars' | 'collectAckedIds'>,
) => Promise<LoadOutcome>;

/**
 * Connects the visitors and operators of `spec` once, then lets `body` run loads on them one after
 * another, each counted and checked on its own (the two-node scenario's rising rates).
 */
export async function runLoads<T>(
  sut: SystemUnderTest,
  spec: LoadSpec,
  body: (measure: Measure) => Promise<T>,
): Promise<T> {
  const plans = buildPlans(sut.target, spec);
  const pool = GeneratorPool.start(plans.length);
  try {
    const t0 = performance.now();
    await pool.prepare(plans, 10 * 60_000);
    await pool.connect(10 * 60_000);
    const prepareMs = performance.now() - t0;
    return await body((load) => measureLoad(sut, pool, load, prepareMs));
  } finally {
    await pool.close();
  }
}

async function measureLoad(
  sut: SystemUnderTest,
  pool: GeneratorPool,
  spec: Parameters<Measure>[0],
  prepareMs: number,
): Promise<LoadOutcome> {
  let meter: ReturnType<typeof cpuMeter> | null = null;
  let pressure: ReturnType<typeof pressureMeter> | null = null;
  let serverCpu = Number.NaN;
  let serverEventLoopCpu = Number.NaN;
  let cpuPressure = Number.NaN;
  let measuredFrom = Number.NaN;
  let measuredTo = Number.NaN;
  const pids = sut.cpuPids ?? [sut.pids[0] ?? -1];
  const leadMs = 300;
  const startTimer = setTimeout(() => {
    meter = cpuMeter(pids);
    pressure = pressureMeter();
    measuredFrom = performance.now();
  }, leadMs + spec.warmupMs);
  const endTimer = setTimeout(
    () => {
      serverCpu = meter?.share() ?? Number.NaN;
      serverEventLoopCpu = meter?.eventLoopShare() ?? Number.NaN;
      cpuPressure = pressure?.share() ?? Number.NaN;
      measuredTo = performance.now();
    },
    // A little before the end, so the reading is taken before the generators report back.
    leadMs + (spec.measureUntilMs ?? spec.durationMs) - 100,
  );
  const during = spec.during ? setTimeout(() => void spec.during?.(performance.now()), leadMs) : null;
  const reports = await pool.run(
    {
      durationMs: spec.durationMs,
      warmupMs: spec.warmupMs,
      drainMs: spec.drainMs,
      visitors: spec.visitorLoad,
      operators: spec.operatorLoad,
      recordLatency: spec.recordLatency,
    },
    leadMs,
  );
  const until = spec.measureUntilMs ?? spec.durationMs;
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  if (during) clearTimeout(during);
  return {
    reports,
    totals: totals(reports),
    deliveredPerSec: ratePerSec(reports, (r) => r.deliveredBuckets, spec.warmupMs, until),
    ackedPerSec: ratePerSec(reports, (r) => r.ackedBuckets, spec.warmupMs, until),
    serverCpu,
    serverEventLoopCpu,
    generatorCpu: generatorCpu(reports),
    cpuPressure,
    latencies: reports.flatMap((r) => r.latencies),
    ackLatencies: reports.flatMap((r) => r.ackLatencies),
    generatorEventLoopP99Ms: Math.max(...reports.map((r) => r.eventLoopP99Ms)),
    prepareMs,
    gc: gcOf(sut, measuredFrom, measuredTo),
  };
}

/** The first Parley node's collections between two moments, as a note; null without `--gc`. */
function gcOf(sut: SystemUnderTest, from: number, to: number): string | null {
  const trace = sut.nodes[0]?.gc;
  if (!trace || !Number.isFinite(from) || !Number.isFinite(to)) return null;
  const figures = gcFigures(trace.between(from, to), to - from);
  return figures ? gcNote(figures) : null;
}

/**
 * Starts one system, runs one load against it, stops it and, for Parley, reads the database back:
 * after a clean stop it must hold exactly the messages that were acked.
 */
export async function loadOneSystem(
  system: System,
  start: StartOptions,
  spec: LoadSpec,
): Promise<{ outcome: LoadOutcome; problems: string[] }> {
  const sut = await startSystem(system, start);
  try {
    let outcome: LoadOutcome;
    try {
      outcome = await runLoad(sut, spec);
    } finally {
      await sut.stop();
    }
    const found = problems(outcome.totals, { echo: system === 'parley' });
    if (sut.sqliteFile) {
      const stored = storedClientIdsSqlite(sut.sqliteFile).size;
      if (stored !== outcome.totals.acked)
        found.push(`the database holds ${stored} messages but ${outcome.totals.acked} were acked`);
    }
    return { outcome, problems: found };
  } finally {
    await sut.remove();
  }
}

/**
 * The latency scenario's open loop: visitors send `perSec` messages a second in total, on schedule
 * whatever the answers do, and the operators only receive (latency, latency-postgres, two-nodes).
 */
export function openLoop(
  p: {
    visitors: number;
    operators: number;
    perSec: number;
    durationMs: number;
    warmupMs: number;
    drainMs: number;
  },
  workers: number,
): LoadSpec {
  return {
    visitors: p.visitors,
    operators: p.operators,
    workers,
    visitorLoad: { mode: 'rate', totalPerSec: p.perSec },
    operatorLoad: { mode: 'none' },
    durationMs: p.durationMs,
    warmupMs: p.warmupMs,
    drainMs: p.drainMs,
    recordLatency: true,
  };
}

/**
 * A PostgreSQL run's problems: the message checks, then the database read back, which must hold
 * exactly the acked messages.
 */
export async function postgresProblems(sut: SystemUnderTest, t: Totals): Promise<string[]> {
  return [...problems(t, { echo: true }), ...(await storedMismatch(sut, t.acked))];
}

/** The database read back after a clean stop: it must hold exactly `acked` messages. */
export async function storedMismatch(sut: SystemUnderTest, acked: number): Promise<string[]> {
  const stored = (await storedClientIdsPostgres(sut.postgresUrl ?? '')).size;
  return stored === acked ? [] : [`the database holds ${stored} messages but ${acked} were acked`];
}
