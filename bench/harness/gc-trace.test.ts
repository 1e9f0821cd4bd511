import { describe, expect, it } from 'vitest';
import { GcTrace, gcFigures, gcNote, mainIsolate, parseNvpLine, withoutCollectionLines } from './gc-trace.js';

/** Lines as Node 20's `--trace-gc-nvp` prints them, cut short after the fields read here. */
const scavenge = (isolate: string, at: number, pause: number, promoted: number, heap: number) =>
  `[20912:${isolate}]    ${at} ms: pause=${pause} mutator=206.5 gc=s reduce_memory=0 time_to_safepoint=0.00 ` +
  `scavenge=0.45 total_size_before=${heap} total_size_after=${heap - 9000000} holes_size_before=715952 ` +
  `allocated=12683000 promoted=${promoted} new_space_survived=599000 nodes_promoted=0 promotion_rate=95.3%`;
const markCompact = (isolate: string, at: number, pause: number, heap: number) =>
  `[20912:${isolate}]    ${at} ms: pause=${pause} mutator=13.2 gc=mc reduce_memory=0 total_size_before=${heap} ` +
  `total_size_after=${heap - 20000000} allocated=0 promoted=0`;

const MAIN = '0x42402bf0';
const WORKER = '0x7f4910004e00';

describe('the --gc trace', () => {
  it('reads a collection line and ignores the rest of the output', () => {
    expect(parseNvpLine(scavenge(MAIN, 20090, 2.6, 582656, 96278200))).toEqual({
      isolate: `20912:${MAIN}`,
      atMs: 20090,
      kind: 's',
      pauseMs: 2.6,
      promoted: 582656,
      heapBefore: 96278200,
    });
    expect(parseNvpLine('{"level":30,"msg":"Parley listening"}')).toBeNull();
    expect(parseNvpLine('[20912:0x42402bf0] Memory allocator,       used:  76 MB')).toBeNull();
  });

  it("keeps the main thread's collections, split across chunks, within the measured span", () => {
    const trace = new GcTrace(1000);
    const text = [
      scavenge(MAIN, 4000, 2.0, 1048576, 90000000),
      scavenge(WORKER, 5000, 0.3, 0, 10000000),
      scavenge(MAIN, 5000, 3.0, 1048576, 91000000),
      markCompact(MAIN, 5500, 6.5, 95000000),
      scavenge(MAIN, 6000, 9.0, 2097152, 92000000),
      scavenge(MAIN, 9000, 1.0, 1048576, 93000000),
      '',
    ].join('\n');
    trace.push(text.slice(0, 100));
    trace.push(text.slice(100, 777));
    trace.push(text.slice(777));
    // This process's clock from 5000 to 8000 ms: the node's 4000 to 7000 ms.
    const span = trace.between(5000, 8000);
    expect(span.map((c) => [c.kind, c.atMs])).toEqual([
      ['s', 4000],
      ['s', 5000],
      ['mc', 5500],
      ['s', 6000],
    ]);
    const figures = gcFigures(span, 3000);
    expect(figures).toEqual({
      promotedMiBPerSec: 4 / 3,
      scavengesPerSec: 1,
      scavengePauseP50Ms: 3.0,
      scavengePauseMaxMs: 9.0,
      markCompactPausesMs: [6.5],
    });
    expect(gcNote(figures as NonNullable<typeof figures>)).toBe(
      'GC: promoted 1.33 MiB/s, 1.0 scavenges/s (pause p50 3.0, max 9.0 ms), 1 mark-compact (6.5 ms)',
    );
  });

  it('takes the isolate with the largest heap as the main thread', () => {
    const lines = [scavenge(WORKER, 10, 0.1, 0, 5000000), scavenge(MAIN, 20, 1, 0, 60000000)];
    expect(
      mainIsolate(lines.map((l) => parseNvpLine(l) as NonNullable<ReturnType<typeof parseNvpLine>>)),
    ).toHaveLength(1);
  });

  it("takes the collection lines out of a node's output and keeps the rest", () => {
    const output = `Parley listening\n${scavenge(MAIN, 10, 0.5, 0, 5000000)}\nOpen http://localhost:8080/setup#token=abc\n`;
    expect(withoutCollectionLines(output)).toBe(
      'Parley listening\nOpen http://localhost:8080/setup#token=abc\n',
    );
  });

  // The smoke test's short span on a starved machine once held no scavenge, and the note went
  // missing: a span without one is reported as none.
  it('reports a span without a scavenge as none, and has no figures for an empty span', () => {
    const figures = gcFigures([], 3000);
    expect(gcNote(figures as NonNullable<typeof figures>)).toBe(
      'GC: promoted 0.00 MiB/s, 0.0 scavenges/s, no mark-compact',
    );
    expect(gcFigures([], 0)).toBeNull();
  });
});
