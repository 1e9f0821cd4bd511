/**
 * `--gc`: a Parley node runs with V8's `--trace-gc-nvp`, which prints one line per collection, and
 * this reads those lines into what the collector did while a scenario measured: how much the young
 * generation's collections (scavenges) moved into the old generation each second, and how often the
 * old generation was marked and compacted. Each mark-compact is a cycle of marking work and a final
 * pause on the event loop; the more a node promotes, the more often one comes.
 */

/** One collection, as a `--trace-gc-nvp` line gives it. */
export interface Collection {
  /** `pid:address` of the isolate: each process's main thread and each worker thread print their own. */
  isolate: string;
  /** Milliseconds since that isolate started. */
  atMs: number;
  /** `s` (scavenge), `mc` (mark-compact), or another of V8's kinds. */
  kind: string;
  pauseMs: number;
  /** Bytes a scavenge moved into the old generation. */
  promoted: number;
  /** The isolate's heap before the collection, in bytes. */
  heapBefore: number;
}

const LINE = /^\[(\d+:0x[0-9a-f]+)\]\s+(\d+) ms: (pause=.*)$/;
const LINES = new RegExp(`${LINE.source}\\n?`, 'gm');

/** A node's output without its collection lines: hundreds a minute, they would bury its own lines. */
export function withoutCollectionLines(text: string): string {
  return text.replace(LINES, '');
}

export function parseNvpLine(line: string): Collection | null {
  const m = LINE.exec(line.trim());
  if (!m) return null;
  const fields = new Map<string, string>();
  for (const pair of (m[3] as string).split(' ')) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const kind = fields.get('gc');
  const pause = Number(fields.get('pause'));
  if (!kind || !Number.isFinite(pause)) return null;
  return {
    isolate: m[1] as string,
    atMs: Number(m[2]),
    kind,
    pauseMs: pause,
    promoted: Number(fields.get('promoted') ?? 0),
    heapBefore: Number(fields.get('total_size_before') ?? 0),
  };
}

/** Collects a node's `--trace-gc-nvp` lines from its output as they come. */
export class GcTrace {
  private readonly collections: Collection[] = [];
  private partial = '';

  /** The node's start, on this process's clock (performance.now()): its isolate's 0 ms, near enough. */
  constructor(readonly startedAt: number) {}

  push(chunk: Buffer | string): void {
    const lines = (this.partial + String(chunk)).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const c = parseNvpLine(line);
      if (c) this.collections.push(c);
    }
  }

  /** The main thread's collections between two moments of this process's clock. */
  between(from: number, to: number): Collection[] {
    return mainIsolate(this.collections).filter(
      (c) => c.atMs >= from - this.startedAt && c.atMs <= to - this.startedAt,
    );
  }
}

/**
 * The event loop's isolate: the one with the largest heap (worker threads keep small ones). Under
 * `--workers`, one process's.
 */
export function mainIsolate(collections: Collection[]): Collection[] {
  const largest = new Map<string, number>();
  for (const c of collections) largest.set(c.isolate, Math.max(largest.get(c.isolate) ?? 0, c.heapBefore));
  const main = [...largest].sort((a, b) => b[1] - a[1])[0]?.[0];
  return collections.filter((c) => c.isolate === main);
}

export interface GcFigures {
  /** MiB a second the scavenges moved into the old generation. */
  promotedMiBPerSec: number;
  scavengesPerSec: number;
  /** Null when the span held no scavenge. */
  scavengePauseP50Ms: number | null;
  scavengePauseMaxMs: number | null;
  /** The pauses of the old generation's mark-compacts in the span, in order. */
  markCompactPausesMs: number[];
}

export function gcFigures(collections: Collection[], spanMs: number): GcFigures | null {
  if (spanMs <= 0) return null;
  const scavenges = collections.filter((c) => c.kind === 's');
  const pauses = scavenges.map((c) => c.pauseMs).sort((a, b) => a - b);
  const promoted = scavenges.reduce((sum, c) => sum + c.promoted, 0);
  // A short span on a starved machine can hold no scavenge at all: that is a figure too (none).
  return {
    promotedMiBPerSec: promoted / 1048576 / (spanMs / 1000),
    scavengesPerSec: scavenges.length / (spanMs / 1000),
    scavengePauseP50Ms: pauses[Math.floor(pauses.length / 2)] ?? null,
    scavengePauseMaxMs: pauses[pauses.length - 1] ?? null,
    markCompactPausesMs: collections.filter((c) => c.kind === 'mc').map((c) => c.pauseMs),
  };
}

export function gcNote(f: GcFigures): string {
  const mc = f.markCompactPausesMs;
  const compacts =
    mc.length === 0
      ? 'no mark-compact'
      : `${mc.length} mark-compact${mc.length === 1 ? '' : 's'} (${mc.map((p) => p.toFixed(1)).join(', ')} ms)`;
  const pauses =
    f.scavengePauseP50Ms === null || f.scavengePauseMaxMs === null
      ? ''
      : ` (pause p50 ${f.scavengePauseP50Ms.toFixed(1)}, max ${f.scavengePauseMaxMs.toFixed(1)} ms)`;
  return `GC: promoted ${f.promotedMiBPerSec.toFixed(2)} MiB/s, ${f.scavengesPerSec.toFixed(1)} scavenges/s${pauses}, ${compacts}`;
}
