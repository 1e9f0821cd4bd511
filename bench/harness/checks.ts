import type { WorkerReport } from '../generator/plan.js';

/** Counts over all generator processes of one run. */
export interface Totals {
  sent: number;
  acked: number;
  delivered: number;
  echoed: number;
  missing: number;
  echoMissing: number;
  duplicated: number;
  unknown: number;
  unacked: number;
  refused: Record<string, number>;
  orderViolations: number;
  unexpectedCloses: number;
  samples: string[];
}

export function totals(reports: WorkerReport[]): Totals {
  const t: Totals = {
    sent: 0,
    acked: 0,
    delivered: 0,
    echoed: 0,
    missing: 0,
    echoMissing: 0,
    duplicated: 0,
    unknown: 0,
    unacked: 0,
    refused: {},
    orderViolations: 0,
    unexpectedCloses: 0,
    samples: [],
  };
  for (const r of reports) {
    for (const k of [
      'sent',
      'acked',
      'delivered',
      'echoed',
      'missing',
      'echoMissing',
      'duplicated',
      'unknown',
      'unacked',
      'orderViolations',
      'unexpectedCloses',
    ] as const)
      t[k] += r[k];
    for (const [code, n] of Object.entries(r.refused)) t.refused[code] = (t.refused[code] ?? 0) + n;
    t.samples.push(...r.samples.slice(0, 5));
  }
  return t;
}

/**
 * What went wrong in a run, in words; empty when nothing did. Any acked message that is missing or
 * duplicated is a failure, and so is anything refused, unacked or closed that the scenario did not
 * expect: the workload is designed to stay within Parley's limits.
 */
export function problems(
  t: Totals,
  expect: { echo?: boolean; crash?: boolean; deliveries?: boolean } = {},
): string[] {
  const out: string[] = [];
  const deliveries = expect.deliveries ?? true;
  if (t.sent === 0) out.push('nothing was sent');
  if (deliveries && t.missing > 0) out.push(`${t.missing} acked message(s) never reached the other party`);
  if (expect.echo && !expect.crash && t.echoMissing > 0)
    out.push(`${t.echoMissing} acked message(s) never came back to their author's socket`);
  if (t.duplicated > 0) out.push(`${t.duplicated} message(s) arrived more than once`);
  if (t.unknown > 0) out.push(`${t.unknown} message(s) arrived that nobody sent`);
  if (t.orderViolations > 0)
    out.push(`${t.orderViolations} message(s) arrived out of seq order or after a gap`);
  const refused = Object.entries(t.refused);
  if (refused.length > 0) out.push(`refused: ${refused.map(([c, n]) => `${n}× ${c}`).join(', ')}`);
  if (!expect.crash && t.unacked > 0) out.push(`${t.unacked} message(s) were never acked`);
  if (!expect.crash && t.unexpectedCloses > 0)
    out.push(`${t.unexpectedCloses} socket(s) were closed by the server`);
  return out;
}
