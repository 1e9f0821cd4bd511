import { BUCKET_MS, type WorkerReport } from '../generator/plan.js';

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

/**
 * Events per second between `fromMs` and `toMs` after the common start, summed over the workers'
 * 100 ms buckets; the first part of a run (connections warming up, JIT) is left out this way.
 */
export function ratePerSec(
  reports: WorkerReport[],
  pick: (r: WorkerReport) => number[],
  fromMs: number,
  toMs: number,
): number {
  const first = Math.floor(fromMs / BUCKET_MS);
  const last = Math.floor(toMs / BUCKET_MS);
  let count = 0;
  for (const r of reports) {
    const buckets = pick(r);
    for (let i = first; i < last; i += 1) count += buckets[i] ?? 0;
  }
  return count / (((last - first) * BUCKET_MS) / 1000);
}

/** Fraction of one core the generator processes used while sending and draining, summed. */
export function generatorCpu(reports: WorkerReport[]): number {
  return reports.reduce((sum, r) => sum + r.cpuMs / Math.max(1, r.wallMs), 0);
}
