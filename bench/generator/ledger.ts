import { BUCKET_MS, type WorkerReport } from './plan.js';

interface Entry {
  sentAt: number;
  ackAt: number;
  delivered: number;
  echoed: number;
  fromVisitor: boolean;
}

/** Epoch milliseconds with sub-millisecond precision, comparable between processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

/**
 * Every message one generator process sent, and what became of it. After the drain, an acked
 * message that never reached the other party is missing; one that arrived twice is duplicated;
 * anything that arrives without having been sent by this process is unknown.
 */
export class Ledger {
  private readonly entries = new Map<string, Entry>();
  private startAt = 0;
  private recording = false;
  private recordLatency = false;
  private latencyFrom = 0;
  /** Parley sends every message back to its author's socket too: the drain waits for those. */
  expectEcho = false;
  /** No operators connected (sustained inserts): nothing is delivered, only acked and echoed. */
  noDeliveries = false;
  sent = 0;
  acked = 0;
  unknown = 0;
  orderViolations = 0;
  unexpectedCloses = 0;
  readonly refused: Record<string, number> = {};
  readonly deliveredBuckets: number[] = [];
  readonly ackedBuckets: number[] = [];
  readonly latencies: number[] = [];
  readonly ackLatencies: number[] = [];
  readonly samples: string[] = [];

  /**
   * Forgets the last run, so that one set of sockets can carry several runs, each counted alone. A
   * message of an earlier run that arrives after this is one that nobody sent: `unknown`.
   */
  reset(): void {
    this.entries.clear();
    this.recording = false;
    this.sent = 0;
    this.acked = 0;
    this.unknown = 0;
    this.orderViolations = 0;
    this.unexpectedCloses = 0;
    for (const code of Object.keys(this.refused)) delete this.refused[code];
    for (const list of [this.deliveredBuckets, this.ackedBuckets, this.latencies, this.ackLatencies])
      list.length = 0;
    this.samples.length = 0;
  }

  begin(startAt: number, recordLatency: boolean, warmupMs: number): void {
    this.startAt = startAt;
    this.recording = true;
    this.recordLatency = recordLatency;
    this.latencyFrom = startAt + warmupMs;
  }

  get active(): boolean {
    return this.recording;
  }

  sentOne(clientId: string, fromVisitor: boolean): void {
    this.sent += 1;
    this.entries.set(clientId, { sentAt: now(), ackAt: -1, delivered: 0, echoed: 0, fromVisitor });
  }

  ack(clientId: string): void {
    const e = this.entries.get(clientId);
    if (!e) {
      this.strange(`ack for unknown ${clientId}`);
      return;
    }
    if (e.ackAt >= 0) {
      this.strange(`second ack for ${clientId}`);
      return;
    }
    const at = now();
    e.ackAt = at;
    this.acked += 1;
    bump(this.ackedBuckets, at - this.startAt);
    if (this.recordLatency && e.sentAt >= this.latencyFrom) this.ackLatencies.push(at - e.sentAt);
  }

  /** A message arrived on a socket; `echo` when it is the author's own message coming back. */
  received(clientId: string, echo: boolean): void {
    if (!this.recording) return;
    const e = this.entries.get(clientId);
    if (!e) {
      this.unknown += 1;
      this.strange(`unknown message ${clientId}`);
      return;
    }
    if (echo) {
      e.echoed += 1;
      if (e.echoed > 1) this.strange(`echo twice ${clientId}`);
      return;
    }
    e.delivered += 1;
    if (e.delivered > 1) {
      this.strange(`delivered twice ${clientId}`);
      return;
    }
    const at = now();
    bump(this.deliveredBuckets, at - this.startAt);
    if (this.recordLatency && e.fromVisitor && e.sentAt >= this.latencyFrom)
      this.latencies.push(at - e.sentAt);
  }

  refusedOne(code: string): void {
    this.refused[code] = (this.refused[code] ?? 0) + 1;
  }

  strange(what: string): void {
    if (this.samples.length < 10) this.samples.push(what);
  }

  /** True when every acked message has been delivered (the drain can stop early). */
  settled(): boolean {
    if (this.acked + this.refusedTotal() < this.sent) return false;
    for (const e of this.entries.values()) {
      if (e.ackAt < 0) continue;
      if (e.delivered === 0 && !this.noDeliveries) return false;
      if (this.expectEcho && e.echoed === 0) return false;
    }
    return true;
  }

  private refusedTotal(): number {
    return Object.values(this.refused).reduce((a, b) => a + b, 0);
  }

  report(
    workerId: number,
    extra: Pick<WorkerReport, 'cpuMs' | 'wallMs' | 'eventLoopP99Ms'>,
    withIds: boolean,
  ) {
    let delivered = 0;
    let echoed = 0;
    let missing = 0;
    let echoMissing = 0;
    let duplicated = 0;
    const ackedIds: string[] = [];
    for (const [id, e] of this.entries) {
      if (e.ackAt >= 0 && withIds) ackedIds.push(id);
      if (e.delivered > 0) delivered += 1;
      if (e.echoed > 0) echoed += 1;
      if (e.delivered > 1 || e.echoed > 1) duplicated += 1;
      if (e.ackAt >= 0 && e.echoed === 0) echoMissing += 1;
      if (e.ackAt >= 0 && e.delivered === 0) {
        missing += 1;
        this.strange(`acked but never delivered: ${id}`);
      }
    }
    const report: WorkerReport = {
      workerId,
      sent: this.sent,
      acked: this.acked,
      delivered,
      echoed,
      missing,
      echoMissing,
      duplicated,
      unknown: this.unknown,
      unacked: this.sent - this.acked - this.refusedTotal(),
      refused: this.refused,
      orderViolations: this.orderViolations,
      unexpectedCloses: this.unexpectedCloses,
      deliveredBuckets: dense(this.deliveredBuckets),
      ackedBuckets: dense(this.ackedBuckets),
      latencies: this.latencies,
      ackLatencies: this.ackLatencies,
      samples: this.samples,
      ...extra,
      ...(withIds ? { ackedIds } : {}),
    };
    return report;
  }
}

function bump(buckets: number[], sinceStart: number): void {
  const i = Math.max(0, Math.floor(sinceStart / BUCKET_MS));
  buckets[i] = (buckets[i] ?? 0) + 1;
}

function dense(buckets: number[]): number[] {
  return Array.from(buckets, (v) => v ?? 0);
}
