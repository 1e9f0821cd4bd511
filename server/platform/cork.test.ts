import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { corkForThisTurn } from './cork.js';

/** A stream that records each write it is handed: one entry per system call a socket would make. */
function recorder() {
  const writes: string[][] = [];
  const stream = new Writable({
    writev(chunks, done) {
      writes.push(chunks.map((c) => String(c.chunk)));
      done();
    },
    write(chunk, _enc, done) {
      writes.push([String(chunk)]);
      done();
    },
  });
  return { stream, writes };
}

describe('corking a socket for one turn', () => {
  it('sends the frames of one turn in one write, in order, by the end of that turn', async () => {
    const a = recorder();
    const b = recorder();
    for (const frame of ['ack', 'echo', 'receipt']) {
      corkForThisTurn(a.stream);
      a.stream.write(frame);
    }
    corkForThisTurn(b.stream);
    b.stream.write('other');
    expect(a.writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.writes).toEqual([['ack', 'echo', 'receipt']]);
    expect(b.writes).toEqual([['other']]);
    // The next turn corks again: nothing is left held.
    corkForThisTurn(a.stream);
    a.stream.write('later');
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.writes).toEqual([['ack', 'echo', 'receipt'], ['later']]);
    expect(a.stream.writableCorked).toBe(0);
  });

  it('after-callbacks: releases once the promise callbacks of the turn have run, before its I/O', async () => {
    const a = recorder();
    const order: string[] = [];
    setImmediate(() => order.push(`immediate saw ${a.writes.length} writes`));
    await Promise.resolve();
    for (const query of ['savepoint', 'insert', 'release']) {
      corkForThisTurn(a.stream, 'after-callbacks');
      a.stream.write(query);
      // A promise callback of the same turn may still add to the write.
      await Promise.resolve();
    }
    expect(a.writes).toEqual([]);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(a.writes).toEqual([['savepoint', 'insert', 'release']]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['immediate saw 1 writes']);
    expect(a.stream.writableCorked).toBe(0);
  });

  it('leaves a destroyed stream alone', () => {
    const a = recorder();
    a.stream.destroy();
    corkForThisTurn(a.stream);
    expect(a.stream.writableCorked).toBe(0);
  });
});
