import { describe, expect, it } from 'vitest';
import { SingleFlight, SingleFlights } from './single-flight.js';

/** A task that records when each run starts and finishes only when the test lets it. */
function gatedTask() {
  const starts: number[] = [];
  const gates: Array<() => void> = [];
  let clock = 0;
  const task = () =>
    new Promise<void>((resolve) => {
      starts.push(clock);
      gates.push(resolve);
    });
  const tick = () => {
    clock += 1;
    return clock;
  };
  const open = async () => {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { task, starts, tick, open };
}

describe('SingleFlight', () => {
  it('a burst of calls during a run costs one more run, which starts after every one of them', async () => {
    const flight = new SingleFlight();
    const t = gatedTask();
    const first = flight.run(t.task);
    await new Promise((r) => setImmediate(r));
    const calledAt: number[] = [];
    const later = Array.from({ length: 10 }, () => {
      calledAt.push(t.tick());
      return flight.run(t.task);
    });
    expect(t.starts).toEqual([0]);
    await t.open();
    await first;
    // The second run began after the last of the ten calls.
    expect(t.starts).toHaveLength(2);
    expect(t.starts[1]).toBeGreaterThanOrEqual(Math.max(...calledAt));
    let settled = 0;
    for (const p of later) void p.then(() => (settled += 1));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(0);
    await t.open();
    await Promise.all(later);
    expect(t.starts).toHaveLength(2);
    expect(flight.idle).toBe(true);
  });

  it('runs at once when nothing runs, and again for a call after a run ended', async () => {
    const flight = new SingleFlight();
    let runs = 0;
    const task = async () => {
      runs += 1;
    };
    await flight.run(task);
    await flight.run(task);
    await Promise.all([flight.run(task), flight.run(task), flight.run(task)]);
    // One run, then the burst: one immediately and one shared by the two that came during it.
    expect(runs).toBe(4);
  });

  it('a failed run fails its own callers only; the next run still happens', async () => {
    const flight = new SingleFlight();
    let n = 0;
    const task = async () => {
      n += 1;
      if (n === 1) throw new Error('database blip');
    };
    const first = flight.run(task);
    const second = flight.run(task);
    await expect(first).rejects.toThrow('database blip');
    await expect(second).resolves.toBeUndefined();
    expect(n).toBe(2);
    expect(flight.idle).toBe(true);
  });
});

describe('SingleFlights', () => {
  it('keys run side by side and are forgotten once idle', async () => {
    const flights = new SingleFlights();
    const a = gatedTask();
    const b = gatedTask();
    const onA = flights.run('a', a.task);
    const onB = flights.run('b', b.task);
    await new Promise((r) => setImmediate(r));
    expect([a.starts.length, b.starts.length]).toEqual([1, 1]);
    expect(flights.size).toBe(2);
    await a.open();
    await b.open();
    await Promise.all([onA, onB]);
    await new Promise((r) => setImmediate(r));
    expect(flights.size).toBe(0);
  });
});
