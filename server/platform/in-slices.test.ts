import { describe, expect, it } from 'vitest';
import { inSlices } from './in-slices.js';

describe('inSlices', () => {
  it('visits every item once, in order, letting other callbacks run between slices', async () => {
    const log: string[] = [];
    const items = Array.from({ length: 250 }, (_, i) => i);
    setImmediate(() => log.push('other'));
    await inSlices(items, 100, (i) => log.push(String(i)));
    expect(log.filter((l) => l !== 'other')).toEqual(items.map(String));
    // The first slice runs at once; what was waiting runs before the second.
    expect(log.indexOf('other')).toBe(100);
  });

  it('works on a snapshot: items added meanwhile wait for the next run', async () => {
    const set = new Set([1, 2, 3]);
    const seen: number[] = [];
    await inSlices(set, 2, (i) => {
      seen.push(i);
      set.add(i + 10);
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('does nothing for no items', async () => {
    const seen: number[] = [];
    await inSlices([], 10, (i) => seen.push(i));
    expect(seen).toEqual([]);
  });
});
