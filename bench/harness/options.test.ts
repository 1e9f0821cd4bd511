import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('bench options', () => {
  it('passes --node-flags to every Parley node as separate flags', () => {
    expect(parseOptions(['--node-flags=--max-semi-space-size=64 --trace-gc']).nodeFlags).toEqual([
      '--max-semi-space-size=64',
      '--trace-gc',
    ]);
    expect(parseOptions([]).nodeFlags).toEqual([]);
  });

  it('refuses a --node-flags value that is not a flag', () => {
    expect(() => parseOptions(['--node-flags=max-semi-space-size=64'])).toThrow(/takes flags/);
  });

  it('turns the collector trace on with --gc', () => {
    expect(parseOptions(['--gc']).gc).toBe(true);
    expect(parseOptions([]).gc).toBe(false);
  });
});
